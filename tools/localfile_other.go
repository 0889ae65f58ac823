//go:build !unix

package tools

// Windows has neither flag; os.Root and the same-file check after opening
// still keep a swapped-in link out.
const (
	openNoFollow = 0
	openNonBlock = 0
)
