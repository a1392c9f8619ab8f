// Command bankcheck validates bank files on their own; a stopgap until
// `mockround bank validate` exists.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/mockround/mockround/seeds"
)

func main() {
	var all []seeds.Question
	var problems []string
	for _, f := range os.Args[1:] {
		data, err := os.ReadFile(f)
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		qs, err := seeds.Parse(filepath.Base(f), data)
		if err != nil {
			problems = append(problems, err.Error())
		}
		all = append(all, qs...)
	}
	problems = append(problems, seeds.Validate(all)...)
	for _, p := range problems {
		fmt.Println(p)
	}
	s := seeds.Count(all)
	fmt.Printf("%d questions; by area %v; by level %v\n", s.Total, s.ByArea, s.ByLevel)
	if len(problems) > 0 {
		os.Exit(1)
	}
}
