package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/mockround/mockround/cmd/mockround/demo"
)

// demoCmd fills the database with a realistic history for the local user.
func demoCmd(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	days := fs.Int("days", 30, "days of history to create, ending today")
	seed := fs.Uint64("seed", 1, "random seed of the history")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *days < 1 || *days > 3650 {
		return usageError{"--days must be 1 to 3650"}
	}
	cfg, err := loadConfig(e.getenv)
	if err != nil {
		return err
	}
	bank, err := loadInterviewBank(e.getenv)
	if err != nil {
		return err
	}
	store, closeDB, err := openStore(ctx, cfg, cfg.logger(e.stderr))
	if err != nil {
		return err
	}
	defer closeDB()
	u, err := store.LocalUser(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	if err := (demo.Demo{Store: store, Bank: bank, Seed: *seed}).Fill(ctx, u, *days, time.Now().UTC()); err != nil {
		return err
	}
	d, err := store.DashboardData(ctx, u.ID, time.Now().UTC())
	if err != nil {
		return err
	}
	answers := 0
	for _, s := range d.Skills {
		answers += s.N
	}
	fmt.Fprintf(e.stdout, "demo: %d days, %d rounds, %d graded answers for %q in %s (%s)\n",
		*days, len(d.Rounds), answers, u.Name, time.Since(start).Round(time.Millisecond), dbKind(cfg.DatabaseURL))
	return nil
}
