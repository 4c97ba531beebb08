# NER models: `make train` rebuilds models/ner/*.crf from ../shared/data/ner (see models/ner/README.md).
.PHONY: train
train:
	tools/train-ner/train.sh
