# Cleanup stage: regenerate the CLDR month/day name table (idempotent; needs node and npm).
CLDR_DATES_VERSION := 48.2.0
CLDR_CACHE := .cache/cldr

.PHONY: cleanup-date-names eval-cleanup
cleanup-date-names:
	@test -f $(CLDR_CACHE)/node_modules/cldr-dates-full/package.json && \
	  grep -q '"version": "$(CLDR_DATES_VERSION)"' $(CLDR_CACHE)/node_modules/cldr-dates-full/package.json || \
	  npm install --no-save --no-audit --no-fund --prefix $(CLDR_CACHE) cldr-dates-full@$(CLDR_DATES_VERSION)
	node tools/gen-date-names.mjs $(CLDR_CACHE)/node_modules/cldr-dates-full > src/cleanup/dates/cldr_names.tsv

# Scores the cleanup stage on ../shared/data/cleanup (prints the table; exits non-zero under the floors).
eval-cleanup:
	nice cargo run --release --locked --example eval_cleanup
