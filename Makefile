# Dojo — setup, build, run and test on a fresh Debian machine (Swift 6 on PATH).
#   make bench   installs what is missing, builds in release, runs `dojo bench core`
#   make test    installs what is missing (including Python interop packages), runs the tests
# apt-get runs through sudo only when not root.

APT_PACKAGES := libopenblas-dev libsdl2-dev pkg-config python3 python3-pip
PIP_PACKAGES := safetensors numpy
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SWIFT ?= swift

.PHONY: setup pip-setup build release bench test clean

setup:
	@command -v $(SWIFT) >/dev/null || { echo "Swift 6 is not on PATH: install it from swift.org, then run make again."; exit 1; }
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

# Python packages the interop tests use (safetensors files written by the reference library).
pip-setup: setup
	@python3 -c "import safetensors, numpy" 2>/dev/null || \
	  python3 -m pip install --quiet $(PIP_PACKAGES) 2>/dev/null || \
	  python3 -m pip install --quiet --break-system-packages $(PIP_PACKAGES)

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release

bench: release
	.build/release/dojo bench core

test: pip-setup
	$(SWIFT) build --build-tests
	$(SWIFT) test

clean:
	rm -rf .build
