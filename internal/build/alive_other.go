//go:build !unix

package build

// processAlive cannot tell here, so every temporary folder is kept.
func processAlive(int) bool { return true }
