package viber

import (
	"encoding/json"
	"slices"
	"time"
)

// userState is what the fake knows about one user.
type userState struct {
	user       User
	known      bool // set by SetUser or a callback, not only sent to
	subscribed bool
	unanswered []time.Time // send times since the user's last message
}

// SetUser makes u known to get_user_details and sets whether the user is
// subscribed (see RequireSubscribed). Deliver does this from the callbacks
// it sends.
func (s *Server) SetUser(u User, subscribed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.userLocked(u.ID)
	st.user, st.known, st.subscribed = u, true, subscribed
}

// IsSubscribed reports whether the fake considers userID subscribed.
func (s *Server) IsSubscribed(userID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[userID]
	return ok && u.subscribed
}

// userLocked returns the state of id, creating it. s.mu must be held.
func (s *Server) userLocked(id string) *userState {
	if u, ok := s.users[id]; ok {
		return u
	}
	u := &userState{user: User{ID: id}}
	s.users[id] = u
	s.userOrder = append(s.userOrder, id)
	if len(s.userOrder) > MaxUsers {
		delete(s.users, s.userOrder[0])
		s.userOrder = slices.Delete(s.userOrder, 0, 1)
	}
	return u
}

// admit checks that receiver may get one more message now and counts it.
// It answers status 6 for an unsubscribed receiver when RequireSubscribed
// is set, and status 12 when MaxUnanswered messages were sent within the
// last hour without a reply. s.mu must be held.
func (s *Server) admit(receiver string, now time.Time) *apiError {
	u := s.userLocked(receiver)
	if s.RequireSubscribed && !u.subscribed {
		return &apiError{StatusReceiverNotSubscribed, "receiver " + receiver + " is not subscribed"}
	}
	if s.MaxUnanswered <= 0 {
		return nil
	}
	cut := 0
	for cut < len(u.unanswered) && !u.unanswered[cut].After(now.Add(-time.Hour)) {
		cut++
	}
	u.unanswered = u.unanswered[cut:]
	if len(u.unanswered) >= s.MaxUnanswered {
		return &apiError{StatusTooManyRequests, "more than MaxUnanswered messages within an hour without a reply"}
	}
	u.unanswered = append(u.unanswered, now)
	return nil
}

// observe updates users from a callback body about to be delivered: a
// message or subscribed event subscribes the user (a first message
// subscribes without a subscribed event), a message resets the rate count,
// unsubscribed unsubscribes, conversation_started records the user and its
// "subscribed" flag.
// Bodies that do not parse are ignored.
func (s *Server) observe(body []byte) (event string, user User) {
	var ev struct {
		Event      string `json:"event"`
		User       *User  `json:"user"`
		Sender     *User  `json:"sender"`
		UserID     string `json:"user_id"`
		Subscribed bool   `json:"subscribed"`
	}
	if json.Unmarshal(body, &ev) != nil {
		return "", User{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch ev.Event {
	case "message":
		if ev.Sender != nil && ev.Sender.ID != "" {
			u := s.userLocked(ev.Sender.ID)
			u.user, u.known, u.subscribed, u.unanswered = *ev.Sender, true, true, nil
			user = *ev.Sender
		}
	case "subscribed", "conversation_started":
		if ev.User != nil && ev.User.ID != "" {
			u := s.userLocked(ev.User.ID)
			u.user, u.known = *ev.User, true
			u.subscribed = ev.Event == "subscribed" || ev.Subscribed
			user = *ev.User
		}
	case "unsubscribed":
		if ev.UserID != "" {
			s.userLocked(ev.UserID).subscribed = false
			user = User{ID: ev.UserID}
		}
	}
	return ev.Event, user
}

// Observe records a callback body as Viber sending it, without delivering
// it, for tests that post callbacks themselves: a message from a user
// subscribes them and resets their MaxUnanswered count, as Deliver does.
func (s *Server) Observe(body []byte) { s.observe(body) }
