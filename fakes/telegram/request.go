package telegram

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
)

const (
	maxBody  = 50 << 20 // Bot API upload limit for files other than photos
	maxPhoto = 10 << 20 // Bot API upload limit for photos
)

// call is one parsed request, as the method handlers see it.
type call struct {
	ctx     context.Context
	method  string // canonical name
	params  params
	uploads []*upload
}

// upload is one multipart file part.
type upload struct {
	field  string
	name   string
	data   []byte
	fileID string // set once stored
}

// part returns the upload in form field name, or nil.
func (c *call) part(name string) *upload {
	for _, u := range c.uploads {
		if u.field == name {
			return u
		}
	}
	return nil
}

// readRequest decodes the query string and body of r into parameters and
// uploads. Bodies over maxBody are refused with 413.
func readRequest(r *http.Request) (params, []*upload, *apiError) {
	p := params{}
	for k, vs := range r.URL.Query() {
		if len(vs) > 0 {
			p[k] = formValue(k, vs[0])
		}
	}
	if r.Body == nil || r.Body == http.NoBody {
		return p, nil, nil
	}
	r.Body = http.MaxBytesReader(nil, r.Body, maxBody)
	mediaType, mparams, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var uploads []*upload
	var err error
	switch mediaType {
	case "application/json":
		err = readJSON(r.Body, p)
	case "multipart/form-data":
		uploads, err = readMultipart(r, mparams["boundary"], p)
	case "application/x-www-form-urlencoded":
		err = r.ParseForm()
		for k, vs := range r.PostForm {
			if len(vs) > 0 {
				p[k] = formValue(k, vs[0])
			}
		}
	default:
		_, err = io.Copy(io.Discard, r.Body)
	}
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return p, uploads, errTooLarge
	case err != nil && mediaType == "application/json":
		return p, uploads, errBadJSON
	case err != nil:
		return p, uploads, errBadBody
	}
	return p, uploads, nil
}

func readJSON(body io.Reader, p params) error {
	data, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	if strings.TrimSpace(string(data)) == "" {
		return nil
	}
	v, err := decodeJSON(data)
	if err != nil {
		return err
	}
	if v == nil {
		return nil // telego sends "null" for methods without parameters (getMe)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return errors.New("body is not a JSON object")
	}
	for k, v := range m {
		p[k] = v
	}
	return nil
}

func readMultipart(r *http.Request, boundary string, p params) ([]*upload, error) {
	if boundary == "" {
		return nil, errors.New("no multipart boundary")
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, err
	}
	var uploads []*upload
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return uploads, nil
		}
		if err != nil {
			return uploads, err
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return uploads, err
		}
		name := part.FormName()
		if part.FileName() != "" {
			uploads = append(uploads, &upload{field: name, name: part.FileName(), data: data})
			continue
		}
		if name != "" {
			p[name] = formValue(name, string(data))
		}
	}
}
