package liqpay

// SetKeys makes the fake know the shop by publicKey and privateKey from now
// on: what LiqPay does once a merchant regenerates the keys in its cabinet.
// A request signed with the old private key is then answered
// invalid_signature and one with an unknown public key public_key_not_found,
// as https://www.liqpay.ua/en/doc/errors names them; callbacks are signed
// with the new private key.
func (s *Server) SetKeys(publicKey, privateKey string) {
	s.keyMu.Lock()
	s.publicKey, s.privateKey = publicKey, privateKey
	s.keyMu.Unlock()
}

// keys returns the shop's current keys.
func (s *Server) keys() (publicKey, privateKey string) {
	s.keyMu.RLock()
	defer s.keyMu.RUnlock()
	return s.publicKey, s.privateKey
}

// SetShopVerified says whether LiqPay has verified the shop (true, the
// default). Until it has, a successful live payment gets status wait_accept
// instead of success: the buyer's money is taken, and LiqPay holds it until
// it verifies the shop (https://www.liqpay.ua/en/doc/callback). A sandbox
// payment is "sandbox" all the same. It applies to payments made after the
// call.
func (s *Server) SetShopVerified(verified bool) {
	s.mu.Lock()
	s.unverified = !verified
	s.mu.Unlock()
}

func (s *Server) pubKey() string  { k, _ := s.keys(); return k }
func (s *Server) privKey() string { _, k := s.keys(); return k }
