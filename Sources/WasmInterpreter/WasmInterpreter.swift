// WasmInterpreter: see README.md in this folder.
