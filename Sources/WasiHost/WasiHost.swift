// WasiHost: see README.md in this folder.
