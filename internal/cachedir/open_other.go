//go:build !unix

package cachedir

// Elsewhere there are no FIFOs to block on in the cache's folder.
const nonBlocking = 0
