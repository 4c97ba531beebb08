# Cleanup stage: regenerate the CLDR month/day name table (idempotent; needs node and npm).
CLDR_DATES_VERSION := 48.2.0
# The Persian calendar package is published less often; 46.1.0 is its newest release.
CLDR_PERSIAN_VERSION := 46.1.0
CLDR_CACHE := .cache/cldr

.PHONY: cleanup-date-names eval-cleanup
cleanup-date-names:
	@grep -qs '"version": "$(CLDR_DATES_VERSION)"' $(CLDR_CACHE)/node_modules/cldr-dates-full/package.json && \
	  grep -qs '"version": "$(CLDR_PERSIAN_VERSION)"' $(CLDR_CACHE)/node_modules/cldr-cal-persian-full/package.json || \
	  npm install --no-save --no-audit --no-fund --legacy-peer-deps --prefix $(CLDR_CACHE) \
	    cldr-dates-full@$(CLDR_DATES_VERSION) cldr-cal-persian-full@$(CLDR_PERSIAN_VERSION)
	node tools/gen-date-names.mjs $(CLDR_CACHE)/node_modules/cldr-dates-full > src/cleanup/dates/cldr_names.tsv

# Scores the cleanup stage on ../shared/data/cleanup (prints the table; exits non-zero under the floors).
eval-cleanup:
	nice cargo run --release --locked --example eval_cleanup
