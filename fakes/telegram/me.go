package telegram

// getMe implements https://core.telegram.org/bots/api#getme.
func (s *Server) getMe(*call) (any, *apiError) {
	u := s.botUser()
	u.CanJoinGroups = true
	return u, nil
}

// answerCallbackQuery implements https://core.telegram.org/bots/api#answercallbackquery.
// The fake does not know which queries exist: any non-empty id is answered true.
func (s *Server) answerCallbackQuery(c *call) (any, *apiError) {
	if c.params.str("callback_query_id") == "" {
		return nil, errQueryID
	}
	return true, nil
}
