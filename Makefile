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
