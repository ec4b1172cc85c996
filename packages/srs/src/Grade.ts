/**
 * How a review is answered. SM-2 grades recall on SuperMemo's 0–5 quality
 * scale; most review screens show four buttons (Again, Hard, Good, Easy),
 * which is also FSRS's rating scale. A button maps to one grade and every
 * grade to one button, so a review log keeps both and either scheduler can
 * replay it:
 *
 * | button | grade | SuperMemo's meaning                                        |
 * |--------|-------|------------------------------------------------------------|
 * | Again  | 1     | incorrect; the correct answer remembered once shown         |
 * | Hard   | 3     | correct, recalled with serious difficulty                   |
 * | Good   | 4     | correct after a hesitation                                  |
 * | Easy   | 5     | perfect response                                            |
 *
 * Grades 0 and 2 (blackout; incorrect but easy once shown) come only from a
 * six-grade screen and read back as Again. Again is 1, the middle of SM-2's
 * three failing grades: a four-button screen does not say which failure it was.
 */
import { Schema } from "effect"

/** SuperMemo's response quality: 0–2 fail (the item restarts), 3–5 pass. */
export const Grade = Schema.Literal(0, 1, 2, 3, 4, 5).annotations({
  identifier: "Grade",
  description: "Response quality on SuperMemo's 0–5 scale (0–2 fail, 3–5 pass)",
})
export type Grade = typeof Grade.Type

export const Button = Schema.Literal("again", "hard", "good", "easy").annotations({
  identifier: "Button",
  description: "The answer button pressed: again, hard, good or easy",
})
export type Button = typeof Button.Type

export const buttons: ReadonlyArray<Button> = ["again", "hard", "good", "easy"]

const gradeOfButton: Record<Button, Grade> = { again: 1, hard: 3, good: 4, easy: 5 }
const buttonOfGrade: Record<Grade, Button> = { 0: "again", 1: "again", 2: "again", 3: "hard", 4: "good", 5: "easy" }

/** The grade a button stands for. */
export const fromButton = (button: Button): Grade => gradeOfButton[button]

/** The button a grade reads as: 0–2 Again, 3 Hard, 4 Good, 5 Easy. */
export const toButton = (grade: Grade): Button => buttonOfGrade[grade]

/** Whether the answer was recalled (grade ≥ 3, any button but Again). */
export const passed = (grade: Grade): boolean => grade >= 3
