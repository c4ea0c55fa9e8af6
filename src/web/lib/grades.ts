/** Grade helpers: natural order and compact ranges ("K–5, 7"). */
import { GRADE_LEVELS, type GradeLevel } from '../../contracts/domain.js';

export function sortGrades<T extends string>(grades: readonly T[]): T[] {
  const index = (g: string) => (GRADE_LEVELS as readonly string[]).indexOf(g);
  return [...grades].sort((a, b) => index(a) - index(b));
}

/** Groups consecutive grades (in GRADE_LEVELS order) into runs. */
export function gradeRuns(grades: readonly GradeLevel[]): GradeLevel[][] {
  const runs: GradeLevel[][] = [];
  let previous = -2;
  for (const grade of sortGrades(grades)) {
    const i = GRADE_LEVELS.indexOf(grade);
    const last = runs[runs.length - 1];
    if (last && i === previous + 1) last.push(grade);
    else runs.push([grade]);
    previous = i;
  }
  return runs;
}

/** Formats grades as compact ranges with the given short label function. */
export function formatGradeRanges(grades: readonly GradeLevel[], short: (g: GradeLevel) => string): string {
  if (grades.length === 0) return '—';
  return gradeRuns(grades)
    .map((run) => {
      const first = run[0] as GradeLevel;
      const last = run[run.length - 1] as GradeLevel;
      if (run.length === 1) return short(first);
      if (run.length === 2) return `${short(first)}, ${short(last)}`;
      return `${short(first)}–${short(last)}`;
    })
    .join(', ');
}

/** Every grade from `from` to `to` inclusive. */
export function gradeSpan(from: GradeLevel, to: GradeLevel): GradeLevel[] {
  const a = GRADE_LEVELS.indexOf(from);
  const b = GRADE_LEVELS.indexOf(to);
  return GRADE_LEVELS.slice(Math.min(a, b), Math.max(a, b) + 1);
}
