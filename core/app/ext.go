package app

import "net/http"

// Each capability registers its routes from its own file here, so that the
// wiring of one does not touch another's.
var registrars []func(a *App, mux *http.ServeMux)

// register is called from the init of a capability's wiring file.
func register(f func(a *App, mux *http.ServeMux)) { registrars = append(registrars, f) }
