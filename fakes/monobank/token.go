package monobank

// SetToken makes the fake accept only tok from now on: what the bank does
// once a merchant revokes the token in its cabinet (every call with the
// old one answers 403 FORBIDDEN, as for a token never issued).
func (s *Server) SetToken(tok string) {
	s.tokenMu.Lock()
	s.token = tok
	s.tokenMu.Unlock()
}

func (s *Server) currentToken() string {
	s.tokenMu.RLock()
	defer s.tokenMu.RUnlock()
	return s.token
}
