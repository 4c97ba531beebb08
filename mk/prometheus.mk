# Prometheus server and promtool from Debian, for the observability tests (which start the server themselves)
# and `make alerts-validate`.
#
#   make prometheus-install   no-op when both commands are on PATH; otherwise apt-get installs `prometheus`,
#                             refreshing the package lists first only if apt has none yet

PROMETHEUS_APT_PACKAGE ?= prometheus

.PHONY: prometheus-install

prometheus-install:
	@if command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1; then \
		echo "prometheus: $$(prometheus --version 2>&1 | head -n 1)"; \
	else \
		if [ -z "$$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e '^lock$$' -e '^partial$$' -e '^auxfiles$$')" ] \
			|| ! apt-cache show $(PROMETHEUS_APT_PACKAGE) >/dev/null 2>&1; then \
			apt-get update -qq; \
		fi; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(PROMETHEUS_APT_PACKAGE); \
		echo "prometheus: installed $$(prometheus --version 2>&1 | head -n 1)"; \
	fi

# The end-to-end suite starts Prometheus and runs promtool on the service's /metrics.
TEST_SETUP += prometheus-install
