package waitfor

import (
	"sync"
	"testing"
	"time"
)

func TestCount(t *testing.T) {
	tests := []struct {
		name   string
		add    int // items recorded after the wait began
		n      int
		wantOK bool
	}{
		{"already there", 0, 0, true},
		{"recorded meanwhile", 3, 3, true},
		{"never enough", 1, 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var items []int
			changed := make(chan struct{})
			read := func() ([]int, <-chan struct{}) {
				mu.Lock()
				defer mu.Unlock()
				return append([]int(nil), items...), changed
			}
			go func() {
				for i := range tt.add {
					mu.Lock()
					items = append(items, i)
					close(changed)
					changed = make(chan struct{})
					mu.Unlock()
				}
			}()
			got, ok := Count(tt.n, 200*time.Millisecond, read)
			if ok != tt.wantOK || (ok && len(got) < tt.n) {
				t.Errorf("Count(%d) = %v, %v; want ok %v", tt.n, got, ok, tt.wantOK)
			}
		})
	}
}
