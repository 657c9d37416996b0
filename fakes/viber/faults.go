package viber

// AnyMethod makes FailNext and FailHTTP apply to every API method.
const AnyMethod = "*"

// fault is an injected answer for the next n calls.
type fault struct {
	status     int // Viber status, when httpStatus is 0
	httpStatus int
	n          int
}

// FailNext makes the next n calls of method ("send_message", …, or
// AnyMethod) answer HTTP 200 with {"status":status,"status_message":...}
// without doing anything, e.g. FailNext("send_message", StatusTooManyRequests, 1).
// Faults are checked before the auth token and used in the order added;
// those for a named method go before AnyMethod ones.
func (s *Server) FailNext(method string, status, n int) {
	s.addFault(method, fault{status: status, n: n})
}

// FailHTTP makes the next n calls of method answer a bare HTTP httpStatus
// (e.g. 502 or 503) with a text body, as a failing proxy would.
func (s *Server) FailHTTP(method string, httpStatus, n int) {
	s.addFault(method, fault{httpStatus: httpStatus, n: n})
}

func (s *Server) addFault(method string, f fault) {
	if f.n <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[method] = append(s.faults[method], f)
}

// takeFault uses up one call of the first pending fault for method.
func (s *Server) takeFault(method string) (fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range []string{method, AnyMethod} {
		q := s.faults[m]
		if len(q) == 0 {
			continue
		}
		f := q[0]
		if q[0].n--; q[0].n == 0 {
			q = q[1:]
		}
		if len(q) == 0 {
			delete(s.faults, m)
		} else {
			s.faults[m] = q
		}
		return f, true
	}
	return fault{}, false
}
