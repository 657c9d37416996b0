package telegram

import (
	"fmt"
	"net/http"
	"time"

	"github.com/paylastic/edge/fakes/internal/waitfor"
)

const maxCalls = 10_000

// Call is one request the fake answered, as recorded in the log.
type Call struct {
	// Method is the canonical method name ("sendPhoto"), or the name as
	// requested when the method is unknown.
	Method string
	// Params are the decoded parameters: from a JSON body as encoding/json
	// decodes them with UseNumber; from a form or multipart body as strings,
	// except JSON objects and arrays such as reply_markup, which are decoded.
	// Param gives either kind as text. Treat the map as read-only.
	Params map[string]any
	// Files are the uploaded multipart files, in request order.
	Files []File
	// Time is the server clock when the call was answered.
	Time time.Time
	// Status is the HTTP status of the answer; 200 for success.
	Status int
	// Error is the description of an error answer, "" on success.
	Error string
}

// File is one uploaded multipart file.
type File struct {
	Field  string // form field, e.g. "photo"
	Name   string // file name from the part header, e.g. "qr.png"
	Size   int    // length in bytes
	FileID string // file_id the fake assigned; Photo(FileID) returns the bytes
	Data   []byte // the bytes; nil once evicted from the 64 MiB upload store
}

// OK reports whether the call was answered with success.
func (c Call) OK() bool { return c.Status == http.StatusOK }

// Param returns parameter name as text: strings as sent, numbers and
// booleans as JSON spells them, objects and arrays as compact JSON. So
// Param("chat_id") is "42" whether the body was JSON or multipart.
func (c Call) Param(name string) string { return params(c.Params).str(name) }

// Calls returns the recorded calls in the order they were answered: the last
// 10 000 since New or Reset.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.callsLocked("")
}

// CallsOf returns the recorded calls of method, as Calls does; "" is any
// method.
func (s *Server) CallsOf(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.callsLocked(method)
}

// WaitCalls waits until at least n calls of method (any method when method
// is "") are recorded and returns all recorded calls of that method. On
// timeout it returns those recorded so far and an error wrapping ErrTimeout.
func (s *Server) WaitCalls(method string, n int, timeout time.Duration) ([]Call, error) {
	calls, ok := waitfor.Count(n, timeout, func() ([]Call, <-chan struct{}) {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.callsLocked(method), s.changed
	})
	if !ok {
		return calls, fmt.Errorf("wait for %d %q calls: got %d after %s: %w", n, method, len(calls), timeout, ErrTimeout)
	}
	return calls, nil
}

// callsLocked copies the calls of method ("" for all), filling in file bytes.
func (s *Server) callsLocked(method string) []Call {
	calls := s.calls
	if len(calls) > maxCalls {
		calls = calls[len(calls)-maxCalls:]
	}
	out := make([]Call, 0, len(calls))
	for _, c := range calls {
		if method != "" && c.Method != method {
			continue
		}
		if len(c.Files) > 0 {
			files := make([]File, len(c.Files))
			for i, f := range c.Files {
				f.Data = s.files.data(f.FileID)
				files[i] = f
			}
			c.Files = files
		}
		out = append(out, c)
	}
	return out
}

// recordLocked stores the uploads not yet stored and appends the call. The
// log holds up to twice maxCalls before it is cut back, so appends stay cheap.
func (s *Server) recordLocked(c *call, status int, description string) {
	rec := Call{Method: c.method, Params: c.params, Time: s.now(), Status: status, Error: description}
	for _, u := range c.uploads {
		if u.fileID == "" {
			u.fileID = s.files.add(storedFile{data: u.data}).id
		}
		rec.Files = append(rec.Files, File{Field: u.field, Name: u.name, Size: len(u.data), FileID: u.fileID})
	}
	s.calls = append(s.calls, rec)
	if len(s.calls) >= 2*maxCalls {
		s.calls = append([]Call(nil), s.calls[len(s.calls)-maxCalls:]...)
	}
	s.notifyLocked()
}
