package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"

	"github.com/mockround/mockround/interview/grader"
	"github.com/mockround/mockround/seeds"
)

// loadBank reads the embedded bank and, when MOCKROUND_BANK_DIR is set, the
// team's extra files, all validated together.
func loadBank(getenv func(string) string) ([]seeds.Question, error) {
	if dir := getenv("MOCKROUND_BANK_DIR"); dir != "" {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("MOCKROUND_BANK_DIR %q is not a folder", dir)
		}
		return seeds.Load(seeds.FS(), os.DirFS(dir))
	}
	return seeds.Load(seeds.FS())
}

// loadInterviewBank loads the bank and compiles it for the engine.
func loadInterviewBank(getenv func(string) string) (*grader.Bank, error) {
	qs, err := loadBank(getenv)
	if err != nil {
		return nil, fmt.Errorf("load question bank: %w", err)
	}
	return grader.NewBank(qs), nil
}

func bankCmd(e env, args []string) error {
	if len(args) == 0 {
		return usageError{"bank needs a subcommand: validate or stats"}
	}
	switch args[0] {
	case "validate":
		qs, err := loadBank(e.getenv)
		var ve *seeds.ValidationError
		if errors.As(err, &ve) {
			for _, p := range ve.Problems {
				fmt.Fprintln(e.stderr, p)
			}
			fmt.Fprintf(e.stderr, "bank invalid: %d problem(s)\n", len(ve.Problems))
			return exitError{1}
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "bank ok: %d questions\n", len(qs))
		return nil
	case "stats":
		fs := flag.NewFlagSet("bank stats", flag.ContinueOnError)
		fs.SetOutput(e.stderr)
		asJSON := fs.Bool("json", false, "print JSON")
		if err := fs.Parse(args[1:]); err != nil {
			return usageError{err.Error()}
		}
		qs, err := loadBank(e.getenv)
		if err != nil {
			return err
		}
		st := seeds.Count(qs)
		if *asJSON {
			enc := json.NewEncoder(e.stdout)
			return enc.Encode(st)
		}
		fmt.Fprintf(e.stdout, "%d questions\n", st.Total)
		for _, group := range []struct {
			name string
			m    map[string]int
		}{{"area", st.ByArea}, {"level", st.ByLevel}, {"stack", st.ByStack}, {"kind", st.ByKind}} {
			fmt.Fprintf(e.stdout, "\nby %s:\n", group.name)
			keys := make([]string, 0, len(group.m))
			for k := range group.m {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				fmt.Fprintf(e.stdout, "  %-14s %4d\n", k, group.m[k])
			}
		}
		return nil
	default:
		return usageError{fmt.Sprintf("unknown bank subcommand %q: use validate or stats", args[0])}
	}
}
