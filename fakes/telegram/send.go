package telegram

import (
	"bytes"
	"image"
	_ "image/gif" // photo formats whose size the fake can read
	_ "image/jpeg"
	_ "image/png"
	"net/url"
	"strings"
	"unicode/utf8"
)

const (
	maxText    = 4096 // characters (code points) after entity parsing
	maxCaption = 1024
)

// sendMessage implements https://core.telegram.org/bots/api#sendmessage.
func (s *Server) sendMessage(c *call) (any, *apiError) {
	chatID, aerr := chatParam(c.params)
	if aerr != nil {
		return nil, aerr
	}
	text := c.params.str("text")
	if text == "" {
		return nil, errTextEmpty
	}
	m := &Message{ChatID: chatID, Text: text, ParseMode: c.params.str("parse_mode")}
	if m.Plain, m.entities, aerr = formatText(c.params, "text", "entities", maxText, errTextTooLong); aerr != nil {
		return nil, aerr
	}
	if m.ReplyMarkup, aerr = replyMarkup(c.params); aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m.Date = s.now()
	s.addMessageLocked(m)
	return s.wireLocked(m), nil
}

// sendPhoto implements https://core.telegram.org/bots/api#sendphoto: photo is
// a multipart upload (also as "attach://<part>"), an HTTP URL or the file_id
// of an earlier photo. Uploads must be PNG, JPEG or GIF the fake can measure.
func (s *Server) sendPhoto(c *call) (any, *apiError) {
	chatID, aerr := chatParam(c.params)
	if aerr != nil {
		return nil, aerr
	}
	m := &Message{ChatID: chatID, Caption: c.params.str("caption"), ParseMode: c.params.str("parse_mode")}
	if m.Plain, m.entities, aerr = formatText(c.params, "caption", "caption_entities", maxCaption, errCaptionTooLong); aerr != nil {
		return nil, aerr
	}
	if m.ReplyMarkup, aerr = replyMarkup(c.params); aerr != nil {
		return nil, aerr
	}
	up := c.part("photo")
	ref := c.params.str("photo")
	if name, ok := strings.CutPrefix(ref, "attach://"); ok && up == nil {
		up = c.part(name)
	}
	var f storedFile
	switch {
	case up != nil:
		if f, aerr = measurePhoto(up.data); aerr != nil {
			return nil, aerr
		}
	case ref == "":
		return nil, errNoPhoto
	case isHTTPURL(ref):
		f = storedFile{url: ref}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var stored *storedFile
	switch {
	case up != nil:
		stored = s.files.add(f)
		up.fileID = stored.id
	case f.url != "":
		stored = s.files.add(f)
	default:
		if stored = s.files.get(ref); stored == nil {
			return nil, errWrongFile
		}
	}
	m.Photo, m.PhotoURL, m.uniqueID = stored.id, stored.url, stored.uniqueID
	m.width, m.height, m.size = stored.width, stored.height, len(stored.data)
	m.Date = s.now()
	s.addMessageLocked(m)
	return s.wireLocked(m), nil
}

// measurePhoto checks an uploaded photo as Telegram does: at most 10 MB, an
// image it can decode, width + height at most 10000, aspect ratio at most 20.
func measurePhoto(data []byte) (storedFile, *apiError) {
	switch {
	case len(data) == 0:
		return storedFile{}, errEmptyFile
	case len(data) > maxPhoto:
		return storedFile{}, errTooLarge
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return storedFile{}, errImage
	}
	w, h := cfg.Width, cfg.Height
	if w+h > 10000 || w > 20*h || h > 20*w {
		return storedFile{}, errDimensions
	}
	return storedFile{data: data, width: w, height: h}, nil
}

// chatParam reads chat_id. Only numeric ids are known to the fake; an
// @username is "chat not found".
func chatParam(p params) (int64, *apiError) {
	if !p.has("chat_id") {
		return 0, errChatEmpty
	}
	id, ok := p.integer("chat_id")
	if !ok || id == 0 {
		return 0, errChatNotFound
	}
	return id, nil
}

// formatText parses the text (or caption) parameter key according to
// parse_mode, or takes its entities from entitiesKey, and checks its length.
func formatText(p params, key, entitiesKey string, limit int, tooLong *apiError) (string, []entity, *apiError) {
	src := p.str(key)
	if !utf8.ValidString(src) {
		return "", nil, errNotUTF8
	}
	plain, ents := src, []entity(nil)
	switch mode := p.str("parse_mode"); {
	case strings.EqualFold(mode, "HTML"):
		var err error
		if plain, ents, err = parseHTML(src); err != nil {
			return "", nil, badRequest("can't parse entities: %s", err.Error())
		}
	case mode == "" || strings.EqualFold(mode, "Markdown") || strings.EqualFold(mode, "MarkdownV2"):
		if v, ok, err := p.json(entitiesKey); ok && err == nil {
			ents = entitiesOf(v)
		}
	default:
		return "", nil, errParseMode
	}
	if utf8.RuneCountInString(plain) > limit {
		return "", nil, tooLong
	}
	if key == "text" && strings.TrimSpace(plain) == "" {
		return "", nil, errMessageEmpty
	}
	return plain, ents, nil
}

// entitiesOf converts a decoded entities array, skipping what does not fit.
func entitiesOf(v any) []entity {
	var ents []entity
	if err := jsonRoundTrip(v, &ents); err != nil {
		return nil
	}
	return ents
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
