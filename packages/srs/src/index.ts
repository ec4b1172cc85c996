/**
 * @ignition/srs — spaced repetition as pure functions: exact SM-2 and FSRS-6
 * (through ts-fsrs) behind one Scheduler port, a review log complete enough
 * to replay a card under either scheduler, and analytics (true retention,
 * lapses, intervals, forecast, heatmap, answer buttons, weak topics) over
 * logs and card states.
 */
export * as Analytics from "./Analytics.js"
export * as Card from "./Card.js"
export * as Fsrs from "./Fsrs.js"
export * as Grade from "./Grade.js"
export * as LocalDay from "./LocalDay.js"
export * as Replay from "./Replay.js"
export * as ReviewLog from "./ReviewLog.js"
export * as Scheduler from "./Scheduler.js"
export * as Sm2 from "./Sm2.js"
export * as SrsError from "./SrsError.js"
