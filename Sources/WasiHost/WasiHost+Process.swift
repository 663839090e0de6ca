// proc_raise and the socket functions: what the sandbox refuses. (`proc_exit` is defined in
// WasiHost+Imports.swift: it throws `WasiExit`.)
// https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#-proc_raisesig-signal---result-errno

import WasmInterpreter

extension WasiHost {
    /// `proc_raise(sig)`: guests cannot send signals (`ENOTSUP`; `EINVAL` for a number that is
    /// not a signal).
    func procRaise(_ c: HostCall) throws {
        guard c.u32(0) <= 30 else { throw WasiErrno.inval }
        throw WasiErrno.notsup
    }

    /// `sock_accept(fd, flags, fd_out)`: there are no sockets; `EBADF` for a closed descriptor,
    /// `ENOTSOCK` for any other.
    func sockAccept(_ c: HostCall) throws { try refuseSocket(c.u32(0)) }

    /// `sock_recv(fd, ri_data, ri_data_len, ri_flags, ro_datalen_out, ro_flags_out)`: as `sock_accept`.
    func sockRecv(_ c: HostCall) throws { try refuseSocket(c.u32(0)) }

    /// `sock_send(fd, si_data, si_data_len, si_flags, so_datalen_out)`: as `sock_accept`.
    func sockSend(_ c: HostCall) throws { try refuseSocket(c.u32(0)) }

    /// `sock_shutdown(fd, how)`: as `sock_accept`.
    func sockShutdown(_ c: HostCall) throws { try refuseSocket(c.u32(0)) }

    private func refuseSocket(_ fd: UInt32) throws(WasiErrno) {
        _ = try descriptors.get(fd)
        throw .notsock
    }
}
