# RealTalk Studio: `make setup`, `make test`, `make demo`.
# Setup is idempotent; a second run with nothing changed finishes in seconds.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMPS := $(VENV)/.stamps
TORCH_VERSION := 2.13.0
# PIP_CONSTRAINT keeps any resolver from replacing torch (CPU wheel or a GPU user's CUDA build)
# or moving numpy to 2.x, which bpy 5.0.1 does not support.
CONSTRAINTS := .ci/constraints.txt

# Debian packages: speech (espeak-ng, flite, sox), and what bpy and Qt need to run headless.
APT_PACKAGES := espeak-ng flite sox pocketsphinx-testdata xvfb libxcb-icccm4 libxcb-keysyms1 \
	libgl1 libegl1 libegl-mesa0 libgl1-mesa-dri libglib2.0-0 libxkbcommon0 libxkbcommon-x11-0 \
	libfontconfig1 libx11-6 libxrender1 libxfixes3 libxi6 libsm6 libxext6 libxcb-cursor0 \
	libdbus-1-3 libpulse0

.PHONY: help setup apt venv assets test demo bench addon clean-venv

help:
	@echo "make setup   install Debian packages (as root), .venv with torch $(TORCH_VERSION) and realtalk[all], assets"
	@echo "make test    setup, then the whole test suite"
	@echo "make demo    setup, then realtalk demo --out out/demo"
	@echo "make bench   setup, then every script in benchmarks/ (rewrites docs/RESULTS.md; BENCH_ARGS=\"--only ...\")"
	@echo "make addon   build the Blender extension dist/realtalk_blender-<version>.zip"

setup: apt venv $(STAMPS)/install assets

apt:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "apt: all Debian packages present"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  echo "apt: installing$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else echo "apt: missing$$missing (not root: install them with sudo apt-get install$$missing)"; fi

venv: $(PY)
$(PY):
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "RealTalk needs Python 3.11 (bpy 5.0.1 is cp311-only)"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24" "setuptools>=77" wheel

# torch first: the local CPU wheel here; a GPU user who installed a CUDA build of the same
# version into .venv beforehand keeps it (see README "GPU").
$(STAMPS)/torch: | $(PY)
	@mkdir -p $(STAMPS)
	@if $(PY) -c 'import torch, sys; sys.exit(0 if torch.__version__.split("+")[0] == "$(TORCH_VERSION)" else 1)' 2>/dev/null; then \
	  echo "torch: $$($(PY) -c 'import torch; print(torch.__version__)') already installed"; \
	else $(PY) -m pip install --quiet "torch==$(TORCH_VERSION)"; fi
	@touch $@

$(STAMPS)/install: pyproject.toml $(CONSTRAINTS) $(STAMPS)/torch
	PIP_CONSTRAINT=$(CONSTRAINTS) $(PY) -m pip install --quiet -e ".[all]"
	@# bpy's own wheel metadata is tagged cp39 although it is a cp311 build; pip check flags only that.
	@out=$$($(PY) -m pip check 2>&1 || true); \
	bad=$$(echo "$$out" | grep -v -e '^No broken requirements' -e '^bpy 5.0.1 is not supported on this platform$$' || true); \
	if [ -n "$$bad" ]; then echo "pip check:"; echo "$$bad"; exit 1; fi; echo "pip check: ok"
	@touch $@

assets: $(STAMPS)/install
	$(VENV)/bin/realtalk assets fetch --progress none

test: setup
	@$(PY) -m pytest $(PYTEST_ARGS) || { rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "ERROR: pytest collected no tests: the suite is missing or broken" >&2; fi; \
	  exit $$rc; }

demo: setup
	$(VENV)/bin/realtalk demo --out out/demo

bench: setup
	$(PY) benchmarks/run_all.py $(BENCH_ARGS)

addon:
	$(PYTHON) blender_addon/build.py --out dist --venv-bin $(VENV)/bin

clean-venv:
	rm -rf $(VENV)
