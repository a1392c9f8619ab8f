package handlers

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"
	"github.com/markbates/goth"
	"github.com/markbates/goth/gothic"
	"github.com/markbates/goth/providers/github"
	"github.com/markbates/goth/providers/google"
	"github.com/markbates/goth/providers/openidConnect"

	"github.com/mockround/mockround/models"
	"github.com/mockround/mockround/views"
)

// OAuthClient is an OAuth client's id and secret.
type OAuthClient struct {
	ID, Secret string
}

// AuthOptions configure login. With no provider set, the app runs in
// single-user local mode.
type AuthOptions struct {
	BaseURL string
	Secret  []byte
	GitHub  OAuthClient
	Google  OAuthClient
	// OIDC is any OpenID Connect provider, found by discovery at Issuer.
	OIDC       OAuthClient
	OIDCIssuer string
	// Now is the clock for sessions and token expiry (default time.Now).
	Now func() time.Time
	Log *slog.Logger
}

// Configured reports whether any provider is set.
func (o AuthOptions) Configured() bool {
	return o.GitHub.ID != "" || o.Google.ID != "" || o.OIDCIssuer != ""
}

// Provider is a login provider as the login page lists it.
type Provider struct {
	Name  string // goth's name: github, google, openid-connect
	Label string
}

// Auth is login through goth: the providers, the signed session cookies,
// and the id_token verifier for OpenID Connect.
type Auth struct {
	providers []Provider
	byName    map[string]goth.Provider
	store     *sessions.CookieStore
	secret    []byte
	verifier  *oidc.IDTokenVerifier
	now       func() time.Time
	log       *slog.Logger
}

const (
	sessionName    = "mockround_session"
	sessionUserKey = "uid"
	sessionAge     = 30 * 24 * time.Hour
	oidcProvider   = "openid-connect"
)

// NewAuth sets up the configured providers. goth keeps providers in a
// package registry and gothic keeps its store in a package variable: both
// are set here, explicitly, from the configuration and nowhere else.
// OpenID Connect discovery runs now, so the issuer must be reachable.
func NewAuth(ctx context.Context, o AuthOptions) (*Auth, error) {
	if len(o.Secret) < 32 {
		return nil, errors.New("auth: the session secret must be at least 32 bytes")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	base := strings.TrimRight(o.BaseURL, "/")
	callback := func(name string) string { return base + "/auth/" + name + "/callback" }
	a := &Auth{byName: map[string]goth.Provider{}, secret: o.Secret, now: o.Now, log: o.Log}

	a.store = sessions.NewCookieStore(o.Secret)
	a.store.Options = &sessions.Options{
		Path: "/", MaxAge: int(sessionAge.Seconds()), HttpOnly: true,
		Secure: isHTTPS(base), SameSite: http.SameSiteLaxMode,
	}
	gothic.Store = a.store

	var ps []goth.Provider
	if o.GitHub.ID != "" {
		// user:email, or GitHub hides private addresses.
		p := github.New(o.GitHub.ID, o.GitHub.Secret, callback("github"), "read:user", "user:email")
		ps = append(ps, p)
		a.providers = append(a.providers, Provider{Name: p.Name(), Label: "GitHub"})
	}
	if o.Google.ID != "" {
		p := google.New(o.Google.ID, o.Google.Secret, callback("google"), "openid", "email", "profile")
		ps = append(ps, p)
		a.providers = append(a.providers, Provider{Name: p.Name(), Label: "Google"})
	}
	if o.OIDCIssuer != "" {
		issuer := strings.TrimRight(o.OIDCIssuer, "/")
		p, err := openidConnect.New(o.OIDC.ID, o.OIDC.Secret, callback(oidcProvider), issuer+"/.well-known/openid-configuration", "openid", "email", "profile")
		if err != nil {
			return nil, fmt.Errorf("OpenID Connect discovery at %s: %w", issuer, err)
		}
		ps = append(ps, p)
		op, err := oidc.NewProvider(ctx, issuer)
		if err != nil {
			return nil, fmt.Errorf("OpenID Connect keys at %s: %w", issuer, err)
		}
		a.verifier = op.Verifier(&oidc.Config{ClientID: o.OIDC.ID, Now: o.Now})
		a.providers = append(a.providers, Provider{Name: oidcProvider, Label: "Single sign-on (" + hostOf(issuer) + ")"})
	}
	goth.UseProviders(ps...)
	for _, p := range ps {
		a.byName[p.Name()] = p
	}
	return a, nil
}

func hostOf(u string) string {
	if p, err := url.Parse(u); err == nil && p.Host != "" {
		return p.Host
	}
	return u
}

// Providers lists the configured providers in the order shown.
func (a *Auth) Providers() []Provider { return a.providers }

// nonceFor derives the OpenID Connect nonce from the login's state: the
// state lives in gothic's signed cookie, so the callback can recompute
// the nonce without storing anything.
func (a *Auth) nonceFor(state string) string {
	m := hmac.New(sha256.New, a.secret)
	m.Write([]byte("oidc-nonce:" + state))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// userID reads the logged-in user's id from the session cookie, 0 if none.
func (a *Auth) userID(r *http.Request) uint {
	s, err := a.store.Get(r, sessionName)
	if err != nil {
		return 0
	}
	id, _ := s.Values[sessionUserKey].(uint)
	return id
}

// login starts a session for the user.
func (a *Auth) login(w http.ResponseWriter, r *http.Request, userID uint) error {
	s, err := a.store.New(r, sessionName)
	if err != nil && s == nil {
		return err
	}
	s.Values[sessionUserKey] = userID
	return s.Save(r, w)
}

// logout ends the session.
func (a *Auth) logout(w http.ResponseWriter, r *http.Request) error {
	// New returns a fresh session even when the old cookie does not decode,
	// which is all a logout needs.
	s, _ := a.store.New(r, sessionName)
	s.Values = map[any]any{}
	s.Options.MaxAge = -1
	return s.Save(r, w)
}

// SessionCookie mints a session cookie for a user, as a login would: for
// tests and tools that act as a logged-in user without a provider.
func (a *Auth) SessionCookie(userID uint) (*http.Cookie, error) {
	w := httptest.NewRecorder()
	if err := a.login(w, httptest.NewRequest(http.MethodGet, "/", nil), userID); err != nil {
		return nil, err
	}
	c, err := http.ParseSetCookie(w.Header().Get("Set-Cookie"))
	if err != nil {
		return nil, err
	}
	return c, nil
}

// verifyIDToken checks an OpenID Connect id_token's signature against the
// issuer's keys, its issuer, audience and expiry (go-oidc), and its nonce,
// which goth does not.
func (a *Auth) verifyIDToken(ctx context.Context, raw, state string) error {
	if a.verifier == nil {
		return errors.New("no OpenID Connect verifier")
	}
	if raw == "" {
		return errors.New("the provider sent no id_token")
	}
	tok, err := a.verifier.Verify(ctx, raw)
	if err != nil {
		return fmt.Errorf("id_token: %w", err)
	}
	if !hmac.Equal([]byte(tok.Nonce), []byte(a.nonceFor(state))) {
		return errors.New("id_token: nonce does not match this login")
	}
	return nil
}

// loginPage lists the providers (or explains local mode).
func (h *Handlers) loginPage(c echo.Context) error {
	page := views.LoginPage{Layout: h.layout(c, "Log in", ""), Next: safeNext(c.QueryParam("next"))}
	if h.Auth != nil {
		for _, p := range h.Auth.Providers() {
			page.Providers = append(page.Providers, views.LoginProvider{URL: "/auth/" + p.Name + "?next=" + url.QueryEscape(page.Next), Label: p.Label})
		}
	}
	if msg := c.QueryParam("error"); msg != "" {
		page.Error = "That login did not work. Please try again."
	}
	return render(c, http.StatusOK, views.LoginPageView(page))
}

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\\\") {
		return "/"
	}
	return next
}

// beginLogin sends the browser to the provider.
func (h *Handlers) beginLogin(c echo.Context) error {
	name := c.Param("provider")
	if h.Auth == nil || h.Auth.byName[name] == nil {
		return fmt.Errorf("provider %q: %w", name, models.ErrNotFound)
	}
	req := gothic.GetContextWithProvider(c.Request(), name)
	authURL, err := gothic.GetAuthURL(c.Response(), req)
	if err != nil {
		return fmt.Errorf("begin %s login: %w", name, err)
	}
	if name == oidcProvider {
		u, err := url.Parse(authURL)
		if err != nil {
			return err
		}
		q := u.Query()
		q.Set("nonce", h.Auth.nonceFor(q.Get("state")))
		u.RawQuery = q.Encode()
		authURL = u.String()
	}
	if err := h.Auth.rememberNext(c, safeNext(c.QueryParam("next"))); err != nil {
		return err
	}
	return c.Redirect(http.StatusFound, authURL)
}

const nextCookie = "mockround_next"

func (a *Auth) rememberNext(c echo.Context, next string) error {
	c.SetCookie(&http.Cookie{Name: nextCookie, Value: url.QueryEscape(next), Path: "/auth", MaxAge: 600,
		HttpOnly: true, Secure: a.store.Options.Secure, SameSite: http.SameSiteLaxMode})
	return nil
}

func nextFrom(c echo.Context) string {
	ck, err := c.Cookie(nextCookie)
	if err != nil {
		return "/"
	}
	v, err := url.QueryUnescape(ck.Value)
	if err != nil {
		return "/"
	}
	return safeNext(v)
}

// loginCallback completes the login: the state is checked by gothic, the
// id_token by go-oidc, then the user is found or created.
func (h *Handlers) loginCallback(c echo.Context) error {
	name := c.Param("provider")
	if h.Auth == nil || h.Auth.byName[name] == nil {
		return fmt.Errorf("provider %q: %w", name, models.ErrNotFound)
	}
	req := gothic.GetContextWithProvider(c.Request(), name)
	gu, err := gothic.CompleteUserAuth(c.Response(), req)
	if err != nil {
		h.Log.Warn("login refused", "provider", name, "err", err)
		return echo.NewHTTPError(http.StatusForbidden, "That login could not be completed. Start again from the login page.").SetInternal(err)
	}
	if name == oidcProvider {
		if err := h.Auth.verifyIDToken(c.Request().Context(), gu.IDToken, gothic.GetState(c.Request())); err != nil {
			h.Log.Warn("OpenID Connect token refused", "err", err)
			return echo.NewHTTPError(http.StatusForbidden, "The identity provider's token could not be verified.").SetInternal(err)
		}
	}
	display := gu.Name
	if display == "" {
		display = gu.NickName
	}
	u, _, err := h.Store.UserForLogin(c.Request().Context(), models.Login{Provider: name, Subject: gu.UserID, Name: display, Email: gu.Email})
	if err != nil {
		return err
	}
	if err := h.Auth.login(c.Response(), c.Request(), u.ID); err != nil {
		return err
	}
	next := nextFrom(c)
	c.SetCookie(&http.Cookie{Name: nextCookie, Path: "/auth", MaxAge: -1})
	if _, open, err := h.Store.LocalHistory(c.Request().Context()); err == nil && open {
		next = "/claim"
	} else if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, next)
}

// logout ends the session.
func (h *Handlers) logout(c echo.Context) error {
	if h.Auth != nil {
		if err := h.Auth.logout(c.Response(), c.Request()); err != nil {
			return err
		}
	}
	return redirect(c, "/login")
}

// claimPage offers the local history to the first account.
func (h *Handlers) claimPage(c echo.Context) error {
	n, open, err := h.Store.LocalHistory(c.Request().Context())
	if err != nil {
		return err
	}
	if !open || h.Auth == nil {
		return redirect(c, "/")
	}
	return render(c, http.StatusOK, views.ClaimPageView(views.ClaimPage{Layout: h.layout(c, "Your earlier practice", ""), Rounds: n}))
}

// claim takes or declines the local history.
func (h *Handlers) claim(c echo.Context) error {
	if h.Auth == nil {
		return redirect(c, "/")
	}
	err := h.Store.ClaimLocalHistory(c.Request().Context(), currentUser(c).ID, c.FormValue("action") == "claim")
	if errors.Is(err, models.ErrConflict) {
		return echo.NewHTTPError(http.StatusConflict, "The local history was already claimed or declined, or your account already has rounds.")
	}
	if err != nil {
		return err
	}
	return redirect(c, "/dashboard")
}
