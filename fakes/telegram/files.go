package telegram

import "fmt"

const (
	maxFiles     = 10_000
	maxFileBytes = 64 << 20
)

// storedFile is an uploaded file, or a photo sent by URL (no data).
type storedFile struct {
	id, uniqueID  string
	data          []byte
	width, height int
	url           string
}

// fileStore keeps files by file_id, evicting the oldest beyond maxFiles
// entries or maxFileBytes of data (always keeping the newest).
type fileStore struct {
	byID  map[string]*storedFile
	order []string
	bytes int
	next  int
}

// add stores f under a new, deterministic file_id and returns it.
func (fs *fileStore) add(f storedFile) *storedFile {
	if fs.byID == nil {
		fs.byID = map[string]*storedFile{}
	}
	fs.next++
	f.id = fmt.Sprintf("AgACAgIAAxkBAAI%08d", fs.next)
	f.uniqueID = fmt.Sprintf("AQAD%08d", fs.next)
	fs.byID[f.id] = &f
	fs.order = append(fs.order, f.id)
	fs.bytes += len(f.data)
	for len(fs.order) > 1 && (len(fs.order) > maxFiles || fs.bytes > maxFileBytes) {
		old := fs.byID[fs.order[0]]
		fs.bytes -= len(old.data)
		delete(fs.byID, old.id)
		fs.order = fs.order[1:]
	}
	return fs.byID[f.id]
}

func (fs *fileStore) get(id string) *storedFile { return fs.byID[id] }

// data returns the bytes stored under id, nil if unknown or evicted.
func (fs *fileStore) data(id string) []byte {
	if f := fs.byID[id]; f != nil {
		return f.data
	}
	return nil
}

// Photo returns the bytes uploaded under fileID: the file_id in a sendPhoto
// result or in Call.Files. ok is false for unknown or evicted ids and for
// photos sent by URL. The slice is shared: do not modify it.
func (s *Server) Photo(fileID string) (data []byte, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.files.get(fileID)
	if f == nil || f.data == nil {
		return nil, false
	}
	return f.data, true
}
