# Dojo — setup, build, run and test on a fresh Debian machine (Swift 6 on PATH).
#   make train   installs what is missing, builds in release, trains DQN on MinAtar Breakout for
#                a short budget (progress line, evaluation, GIF); FRAMES=... changes the budget
#   make bench   installs what is missing, builds in release, runs `dojo bench core`
#   make test    installs what is missing (including Python interop packages), runs the tests
# apt-get runs through sudo only when not root.

# Leela Zero (the reference for network import and search speed) comes without its recommended
# OpenCL drivers: Dojo only runs it with --cpu-only.
# Open MPI (openmpi-bin) and iproute2 are for the distributed tests: `--distributed` opens
# libmpi at run time, so building needs neither; a test runs two hosts in network namespaces.
APT_NO_RECOMMENDS := leela-zero
APT_PACKAGES := libopenblas-dev libsdl2-dev libpng-dev libgif-dev libsqlite3-dev zlib1g-dev xvfb xdotool tmux time gnugo pkg-config python3 python3-pip openmpi-bin iproute2
PIP_PACKAGES := safetensors numpy minatar==1.0.15 sgfmill tensorboard pyyaml
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SWIFT ?= swift
SHELL := /bin/bash

.PHONY: setup pip-setup build release train bench test clean

FRAMES ?= 100000

setup:
	@command -v $(SWIFT) >/dev/null || { echo "Swift 6 is not on PATH: install it from swift.org, then run make again."; exit 1; }
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
	@missing=""; for p in $(APT_NO_RECOMMENDS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# Python packages the interop tests use: safetensors files written by the reference library,
# and the reference MinAtar (GPL; only run as a black box by scripts/minatar_compare.py).
pip-setup: setup
	@python3 -c "import safetensors, numpy, minatar, sgfmill, tensorboard, yaml" 2>/dev/null || \
	  python3 -m pip install --quiet $(PIP_PACKAGES) 2>/dev/null || \
	  python3 -m pip install --quiet --break-system-packages $(PIP_PACKAGES)

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release

train: release
	.build/release/dojo train dqn --env minatar/breakout --frames $(FRAMES) --seed 1

bench: release
	.build/release/dojo bench core

# XCTest only (no Swift Testing suites exist, and its empty run would close the log with
# "0 tests"); the last line repeats XCTest's totals as "N passed, N failed".
# Tests run on an optimised build (with @testable imports enabled): the learning tests train
# real networks, which took over 300 s of a 570 s debug run and take seconds here.
TEST_FLAGS := -c release -Xswiftc -enable-testing
test: pip-setup
	$(SWIFT) build --build-tests $(TEST_FLAGS)
	@set -o pipefail; $(SWIFT) test $(TEST_FLAGS) --disable-swift-testing 2>&1 | tee .build/test.log
	@awk '/Executed [0-9]+ tests?, with [0-9]+ failures?/ { n=$$2; f=$$5 } END { if (n == "") exit 1; printf "tests: %d passed, %d failed\n", n - f, f }' .build/test.log

clean:
	rm -rf .build
