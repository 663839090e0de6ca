# expected: wasmtime
# errno values are WASI numbers in the guest (ENOENT is 44) but Linux numbers
# natively (ENOENT is 2): the guest output is the one Sandpiper must match.
import errno
print(errno.ENOENT, errno.EEXIST, errno.EINVAL, errno.EAGAIN if hasattr(errno, "EAGAIN") else None)
print(errno.errorcode[errno.ENOENT], errno.errorcode[errno.EINVAL])
try:
    raise OSError(errno.ENOENT)
except OSError as e:
    print(e.args[0] == errno.ENOENT, e.errno == errno.ENOENT)
for name in ["EPERM", "ENOENT", "EIO", "EBADF", "EACCES", "EEXIST", "ENODEV", "EINVAL"]:
    print(name, hasattr(errno, name))
