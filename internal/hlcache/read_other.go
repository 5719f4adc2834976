//go:build !linux

package hlcache

import "github.com/docsgen/docsgen/internal/cachedir"

// readEntry reads the entry name in the shard folder, below the root.
func (c *Cache) readEntry(shard, name string) ([]byte, error) {
	return cachedir.ReadRegular(c.root, shard+"/"+name, maxEntrySize)
}
