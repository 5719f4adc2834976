package hlcache

import "github.com/docsgen/docsgen/internal/safefile"

// readEntry reads the entry name in the shard folder through that
// folder's descriptor, opened once: a build reads an entry for each of
// its thousands of code blocks, and below the root each read opened the
// shard folder, then the file, registered with the poller.
func (c *Cache) readEntry(shard, name string) ([]byte, error) {
	dir, err := c.shardDir(shard)
	if err != nil {
		return nil, err
	}
	return safefile.ReadIn(dir, name, maxEntrySize)
}
