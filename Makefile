# Sandpiper developer tasks. Recipes are indented with tabs; keep one target per block,
# each with its own .PHONY line and a one-line comment, so targets can be added independently.

# Fetch and verify the pinned MicroPython guest into Guest/micropython-wasi.wasm (see Guest/README.md).
.PHONY: guest
guest:
	bash Scripts/fetch-guest.sh

# Remove the fetched guest (`make guest` fetches it again).
.PHONY: clean-guest
clean-guest:
	rm -f Guest/micropython-wasi.wasm

# Benchmark Sandpiper against WasmKit 0.4.2 in one process (release build; see Benchmarks/README.md).
# Writes Benchmarks/results/latest.{md,json}; compares with Benchmarks/baseline.json when it exists.
# Pass more options with BENCH_ARGS, e.g. `make bench BENCH_ARGS="--runs 9 --filter fib,sieve"`.
.PHONY: bench
bench:
	swift build -c release --package-path Benchmarks
	Benchmarks/.build/release/sandpiper-bench --markdown Benchmarks/results/latest.md --json Benchmarks/results/latest.json \
		$(if $(wildcard Benchmarks/baseline.json),--baseline Benchmarks/baseline.json) $(BENCH_ARGS)

# Run every test: fetch the guest, then the whole suite built optimised (the interpreter is slow in debug).
.PHONY: test
test: guest
	swift test -c release -Xswiftc -enable-testing

# The main job: the example notes app hosting the sample plugins in ./plugins.
.PHONY: demo
demo: guest
	swift run -c release NotesApp
