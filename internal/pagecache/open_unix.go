//go:build unix

package pagecache

import "syscall"

const nonBlocking = syscall.O_NONBLOCK
