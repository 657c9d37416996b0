package viber

import "context"

// Account is the bot's public account as get_account_info describes it
// (https://developers.viber.com/docs/api/rest-bot-api/#get-account-info).
type Account struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	URI         string   `json:"uri"`
	Icon        string   `json:"icon"`
	Background  string   `json:"background"`
	Category    string   `json:"category"`
	Subcategory string   `json:"subcategory"`
	Location    Location `json:"location"`
	Country     string   `json:"country"`
	Members     []Member `json:"members"`
}

// Member is an administrator of the account.
type Member struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Avatar string `json:"avatar"`
	Role   string `json:"role"`
}

func defaultAccount() Account {
	return Account{
		ID:          "pa:5739421862381437100",
		Name:        "PayLastic",
		URI:         "paylastic",
		Icon:        "https://example.com/icon.png",
		Background:  "https://example.com/background.png",
		Category:    "Services",
		Subcategory: "Payments",
		Location:    Location{Lat: 50.4501, Lon: 30.5234},
		Country:     "UA",
		Members:     []Member{{ID: "01234567890A=", Name: "Admin", Role: "admin"}},
	}
}

type accountReply struct {
	header
	Account
	Webhook          string   `json:"webhook"`
	EventTypes       []string `json:"event_types"`
	SubscribersCount int      `json:"subscribers_count"`
	ChatHostname     string   `json:"chat_hostname"`
}

// getAccountInfo answers Server.Account plus the webhook, its event types
// and the number of users the fake considers subscribed. The body must be
// a JSON object ("{}").
func (s *Server) getAccountInfo(_ context.Context, body []byte) (reply, *apiError) {
	if _, err := parseObject(body); err != nil {
		return nil, badData("body is not a JSON object: %v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := &accountReply{Account: s.Account, Webhook: s.webhook.URL, EventTypes: s.webhook.EventTypes, ChatHostname: s.ChatHostname}
	if r.EventTypes == nil {
		r.EventTypes = []string{}
	}
	for _, u := range s.users {
		if u.subscribed {
			r.SubscribersCount++
		}
	}
	return r, nil
}

type userReply struct {
	header
	MessageToken uint64 `json:"message_token"`
	User         User   `json:"user"`
	ChatHostname string `json:"chat_hostname"`
}

// getUserDetails answers {"id": ...} with what the fake knows about the
// user (from SetUser or Deliver). A missing id is status 4, an unknown user
// status 5 (receiverNotRegistered).
// (https://developers.viber.com/docs/api/rest-bot-api/#get-user-details)
func (s *Server) getUserDetails(_ context.Context, body []byte) (reply, *apiError) {
	o, err := parseObject(body)
	if err != nil {
		return nil, badData("body is not a JSON object: %v", err)
	}
	id, _, e := o.str("id")
	if e != nil {
		return nil, e
	}
	if id == "" {
		return nil, missingData("id")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[id]
	if !ok || !u.known {
		return nil, &apiError{StatusReceiverNotRegistered, "unknown user " + id}
	}
	token := s.next
	s.next++
	return &userReply{MessageToken: token, User: u.user, ChatHostname: s.ChatHostname}, nil
}
