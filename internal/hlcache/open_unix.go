//go:build unix

package hlcache

import "syscall"

const nonBlocking = syscall.O_NONBLOCK
