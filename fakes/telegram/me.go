package telegram

// getMe implements https://core.telegram.org/bots/api#getme.
func (s *Server) getMe(*call) (any, *apiError) {
	u := s.botUser()
	u.CanJoinGroups = true
	return u, nil
}
