//go:build !unix

package build

import "time"

// cpuTime stands in with wall time where getrusage is missing.
func cpuTime() time.Duration { return time.Duration(time.Now().UnixNano()) }
