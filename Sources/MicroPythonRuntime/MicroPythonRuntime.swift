// MicroPythonRuntime: see README.md in this folder.
