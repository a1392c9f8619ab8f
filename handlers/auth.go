package handlers

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
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
	// AllowedEmailDomains and GitHubAllowedOrgs, when set, restrict who
	// may log in: see Auth.allowed.
	AllowedEmailDomains []string
	GitHubAllowedOrgs   []string
	// GitHubAPI is GitHub's API root (default https://api.github.com).
	GitHubAPI string
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
	// emailDomains and githubOrgs are the allow-lists, lower case.
	emailDomains, githubOrgs map[string]bool
	githubAPI                string
	http                     *http.Client
}

const (
	sessionName      = "mockround_session"
	sessionUserKey   = "uid"
	sessionIssuedKey = "iat"  // unix nanoseconds of the login
	sessionSeenKey   = "seen" // unix seconds of the last request
	// sessionAge is the absolute lifetime of a login; sessionIdle ends it
	// sooner when unused; sessionTouch is how stale "seen" may get before
	// the cookie is written again.
	sessionAge   = 30 * 24 * time.Hour
	sessionIdle  = 7 * 24 * time.Hour
	sessionTouch = 10 * time.Minute
	oidcProvider = "openid-connect"
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
	a := &Auth{byName: map[string]goth.Provider{}, secret: o.Secret, now: o.Now, log: o.Log,
		emailDomains: lowerSet(o.AllowedEmailDomains), githubOrgs: lowerSet(o.GitHubAllowedOrgs),
		githubAPI: strings.TrimRight(or(o.GitHubAPI, "https://api.github.com"), "/"), http: &http.Client{Timeout: 10 * time.Second}}

	// Cookies are encrypted (AES-256) as well as signed: the user id and
	// the provider's tokens in them are not readable by whoever holds one.
	a.store = sessions.NewCookieStore(deriveKey(o.Secret, "cookie signing"), deriveKey(o.Secret, "cookie encryption"))
	a.store.Options = &sessions.Options{
		Path: "/", MaxAge: int(sessionAge.Seconds()), HttpOnly: true,
		Secure: isHTTPS(base), SameSite: http.SameSiteLaxMode,
	}
	gothic.Store = a.store
	// gothic would take the state from ?state= in the login URL, letting
	// another site fix it (login CSRF): the app always makes its own.
	gothic.SetState = func(*http.Request) string { return randomToken() }

	var ps []goth.Provider
	if o.GitHub.ID != "" {
		// user:email, or GitHub hides private addresses.
		scopes := []string{"read:user", "user:email"}
		if len(a.githubOrgs) > 0 {
			scopes = append(scopes, "read:org") // to list private memberships
		}
		p := github.New(o.GitHub.ID, o.GitHub.Secret, callback("github"), scopes...)
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

// deriveKey derives a key for one purpose from the session secret.
func deriveKey(secret []byte, purpose string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("mockround " + purpose))
	return m.Sum(nil)
}

// randomToken is 32 random bytes, URL-safe.
func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("mockround: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// session is a login as its cookie records it.
type session struct {
	userID       uint
	issued, seen time.Time
}

// session reads the session cookie; ok is false without a valid one.
func (a *Auth) session(r *http.Request) (session, bool) {
	s, err := a.store.Get(r, sessionName)
	if err != nil {
		return session{}, false
	}
	id, _ := s.Values[sessionUserKey].(uint)
	iat, _ := s.Values[sessionIssuedKey].(int64)
	seen, _ := s.Values[sessionSeenKey].(int64)
	if id == 0 || iat == 0 || seen == 0 {
		return session{}, false
	}
	return session{userID: id, issued: time.Unix(0, iat), seen: time.Unix(seen, 0)}, true
}

// live reports a session within its idle and absolute lifetimes, not
// revoked by a logout (the user's SessionsValidAfter).
func (s session) live(now time.Time, u models.User) bool {
	if now.Sub(s.issued) > sessionAge || now.Sub(s.seen) > sessionIdle {
		return false
	}
	return u.SessionsValidAfter == nil || s.issued.After(*u.SessionsValidAfter)
}

// save writes the session cookie.
func (a *Auth) save(w http.ResponseWriter, r *http.Request, s session) error {
	c, err := a.store.New(r, sessionName)
	if err != nil && c == nil {
		return err
	}
	c.Values = map[any]any{sessionUserKey: s.userID, sessionIssuedKey: s.issued.UnixNano(), sessionSeenKey: s.seen.Unix()}
	return c.Save(r, w)
}

// touch records a request on a session whose "seen" time is stale.
func (a *Auth) touch(w http.ResponseWriter, r *http.Request, s session, now time.Time) error {
	if now.Sub(s.seen) < sessionTouch {
		return nil
	}
	s.seen = now
	return a.save(w, r, s)
}

// login starts a session for the user.
func (a *Auth) login(w http.ResponseWriter, r *http.Request, userID uint) error {
	now := a.now()
	return a.save(w, r, session{userID: userID, issued: now, seen: now})
}

// logout ends the session in this browser: the caller revokes it (and the
// user's other sessions) in the database.
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
func (a *Auth) verifyIDToken(ctx context.Context, raw, nonce string) error {
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
	if nonce == "" || !hmac.Equal([]byte(tok.Nonce), []byte(nonce)) {
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

// safeNext keeps a post-login redirect on this site: a path of one of the
// app's pages, with no scheme, host, backslash or control character
// (browsers drop tabs and read a backslash as a slash, so "/\evil" and
// "/\t/evil" would leave the site). Anything else goes to "/".
func safeNext(next string) string {
	if next == "" || len(next) > 2048 {
		return "/"
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f || r == '\\' || r == '\u00a0' || r == '\ufeff' {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || u.RawPath != "" ||
		!strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || !isPagePath(u.Path) {
		return "/"
	}
	out := u.Path
	if u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	return out
}

// pagePaths are the pages a login may return to; a segment ":id" is a
// decimal id. A test checks every GET route is here or known not to be
// a page.
var pagePaths = []string{"/", "/dashboard", "/rounds/:id", "/rounds/:id/report", "/review", "/review/learn",
	"/drills", "/help", "/claim"}

func isPagePath(p string) bool {
	for _, pat := range pagePaths {
		if matchPath(pat, p) {
			return true
		}
	}
	return false
}

func matchPath(pattern, p string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(p, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i := range ps {
		if ps[i] == ":id" {
			if _, err := strconv.ParseUint(xs[i], 10, 63); err != nil {
				return false
			}
		} else if ps[i] != xs[i] {
			return false
		}
	}
	return true
}

// loginSession is the short-lived, encrypted cookie of one login in
// progress: its OpenID Connect nonce and where to go afterwards.
const (
	loginSessionName = "mockround_login"
	loginNonceKey    = "nonce"
	loginNextKey     = "next"
	loginFlowAge     = 10 * time.Minute
)

func (a *Auth) loginCookieOptions() *sessions.Options {
	return &sessions.Options{Path: "/auth", MaxAge: int(loginFlowAge.Seconds()), HttpOnly: true,
		Secure: a.store.Options.Secure, SameSite: http.SameSiteLaxMode}
}

// beginLogin sends the browser to the provider. The state is the app's
// own (gothic.SetState); the nonce is random and kept in this login's
// cookie, so neither can be chosen by another site.
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
	s, _ := h.Auth.store.New(c.Request(), loginSessionName)
	s.Options = h.Auth.loginCookieOptions()
	s.Values = map[any]any{loginNextKey: safeNext(c.QueryParam("next"))}
	if name == oidcProvider {
		nonce := randomToken()
		s.Values[loginNonceKey] = nonce
		u, err := url.Parse(authURL)
		if err != nil {
			return err
		}
		q := u.Query()
		q.Set("nonce", nonce)
		u.RawQuery = q.Encode()
		authURL = u.String()
	}
	if err := s.Save(c.Request(), c.Response()); err != nil {
		return fmt.Errorf("save login: %w", err)
	}
	return c.Redirect(http.StatusFound, authURL)
}

// loginFlow reads the login in progress and ends it: a nonce is used once.
func (a *Auth) loginFlow(c echo.Context) (nonce, next string) {
	s, err := a.store.Get(c.Request(), loginSessionName)
	next = "/"
	if err == nil {
		nonce, _ = s.Values[loginNonceKey].(string)
		if n, ok := s.Values[loginNextKey].(string); ok {
			next = safeNext(n)
		}
	}
	c.SetCookie(&http.Cookie{Name: loginSessionName, Path: "/auth", MaxAge: -1, HttpOnly: true,
		Secure: a.store.Options.Secure, SameSite: http.SameSiteLaxMode})
	return nonce, next
}

// loginCallback completes the login: the state is checked by gothic, the
// id_token by go-oidc with this login's nonce, then the user is found or
// created.
func (h *Handlers) loginCallback(c echo.Context) error {
	name := c.Param("provider")
	if h.Auth == nil || h.Auth.byName[name] == nil {
		return fmt.Errorf("provider %q: %w", name, models.ErrNotFound)
	}
	nonce, next := h.Auth.loginFlow(c)
	req := gothic.GetContextWithProvider(c.Request(), name)
	gu, err := gothic.CompleteUserAuth(c.Response(), req)
	if err != nil {
		h.Log.Warn("login refused", "provider", name, "err", err)
		return echo.NewHTTPError(http.StatusForbidden, "That login could not be completed. Start again from the login page.").SetInternal(err)
	}
	if name == oidcProvider {
		if err := h.Auth.verifyIDToken(c.Request().Context(), gu.IDToken, nonce); err != nil {
			h.Log.Warn("OpenID Connect token refused", "err", err)
			return echo.NewHTTPError(http.StatusForbidden, "The identity provider's token could not be verified.").SetInternal(err)
		}
	}
	if err := h.Auth.allowed(c.Request().Context(), name, gu); err != nil {
		h.Log.Warn("login not allowed", "provider", name, "reason", err)
		return echo.NewHTTPError(http.StatusForbidden, "This account may not use this mockround. Ask whoever runs it to let you in.").SetInternal(err)
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
	h.rotateCSRF(c)
	if _, offered, err := h.Store.OfferLocalHistory(c.Request().Context(), u.ID); err == nil && offered {
		next = "/claim"
	} else if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, next)
}

// rotateCSRF drops the CSRF cookie, so the next page gets a new token: a
// token known before a login or a logout is worth nothing after it. (The
// CSRF middleware set the old cookie earlier in this response; this later
// Set-Cookie wins.)
func (h *Handlers) rotateCSRF(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: csrfCookie, Path: "/", MaxAge: -1, HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode})
}

// logout ends the session.
func (h *Handlers) logout(c echo.Context) error {
	if h.Auth != nil {
		// Every session of the user ends, including cookies saved before
		// this one: a copied cookie is worth nothing after a logout.
		if s, ok := h.Auth.session(c.Request()); ok {
			if err := h.Store.RevokeSessions(c.Request().Context(), s.userID, h.Auth.now()); err != nil {
				return err
			}
		}
		if err := h.Auth.logout(c.Response(), c.Request()); err != nil {
			return err
		}
		h.rotateCSRF(c)
	}
	return redirect(c, "/login")
}

// claimPage offers the local history to the account that holds the offer.
func (h *Handlers) claimPage(c echo.Context) error {
	if h.Auth == nil {
		return redirect(c, "/")
	}
	n, offered, err := h.Store.LocalHistoryFor(c.Request().Context(), currentUser(c).ID)
	if err != nil {
		return err
	}
	if !offered {
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

func lowerSet(list []string) map[string]bool {
	m := map[string]bool{}
	for _, v := range list {
		if v = strings.ToLower(strings.TrimSpace(v)); v != "" {
			m[v] = true
		}
	}
	return m
}

// allowed applies the allow-lists. With none set anyone may log in. With
// any set, a login must pass one that applies to it: a verified e-mail
// address in an allowed domain (any provider), or, for GitHub, membership
// of an allowed organisation.
func (a *Auth) allowed(ctx context.Context, provider string, gu goth.User) error {
	if len(a.emailDomains) == 0 && len(a.githubOrgs) == 0 {
		return nil
	}
	if len(a.emailDomains) > 0 {
		email := strings.ToLower(strings.TrimSpace(gu.Email))
		at := strings.LastIndexByte(email, '@')
		if at > 0 && a.emailDomains[email[at+1:]] && emailVerified(provider, gu) {
			return nil
		}
	}
	if len(a.githubOrgs) > 0 && provider == "github" {
		orgs, err := a.githubOrgsOf(ctx, gu.AccessToken)
		if err != nil {
			return err
		}
		for _, o := range orgs {
			if a.githubOrgs[strings.ToLower(o)] {
				return nil
			}
		}
	}
	return errors.New("no allowed e-mail domain or organisation")
}

// emailVerified reports an address the provider says it verified
// (OpenID Connect's email_verified, Google's verified_email; a missing
// claim is not a yes). GitHub returns the primary address, verified.
func emailVerified(provider string, gu goth.User) bool {
	if provider == "github" {
		return true
	}
	for _, k := range []string{"email_verified", "verified_email"} {
		if v, ok := gu.RawData[k].(bool); ok && v {
			return true
		}
	}
	return false
}

// githubOrgsOf lists the organisations of the GitHub user whose token it
// is (public and, with the read:org scope, private memberships).
func (a *Auth) githubOrgsOf(ctx context.Context, token string) ([]string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.githubAPI+"/user/orgs?per_page=100", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/vnd.github+json")
	res, err := a.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("GitHub organisations: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GitHub organisations: HTTP %d", res.StatusCode)
	}
	var orgs []struct {
		Login string `json:"login"`
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(&orgs); err != nil {
		return nil, fmt.Errorf("GitHub organisations: %w", err)
	}
	out := make([]string, 0, len(orgs))
	for _, o := range orgs {
		out = append(out, o.Login)
	}
	return out, nil
}
