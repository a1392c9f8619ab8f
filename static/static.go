// Package static holds the browser assets, embedded, served at versioned
// URLs so they can be cached for a year.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"sync"
)

//go:embed app.css app.js voice.js vendor
var files embed.FS

// HTMXVersion is the vendored htmx release (see README, "Updating htmx").
const HTMXVersion = "2.0.11"

// FS is the embedded assets.
func FS() fs.FS { return files }

var (
	hashOnce sync.Once
	hashes   map[string]string
)

// URL returns the path of an asset with its content hash, e.g.
// /static/app.css?v=3f2a9c1e. A new release changes the URL, so browsers
// never run a stale script against new markup.
func URL(name string) string {
	hashOnce.Do(func() {
		hashes = map[string]string{}
		// Walking an embedded FS cannot fail at run time: it was read at build.
		_ = fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := files.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			hashes[p] = hex.EncodeToString(sum[:4])
			return nil
		})
	})
	return "/static/" + name + "?v=" + hashes[name]
}
