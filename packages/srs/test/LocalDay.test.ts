/**
 * Local days: fixed offsets, named zones across DST (23- and 25-hour days, a
 * zone whose DST began at midnight), a later day start, and the remembered
 * day starts checked against effect's DateTime computed afresh.
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, FastCheck as fc, Schema } from "effect"
import * as LocalDay from "../src/LocalDay.js"
import { berlin, DAY, HOUR } from "./support.js"

const dayNumber = (year: number, month: number, date: number) => Date.UTC(year, month - 1, date) / DAY

/** The local date of `epochMs` minus `startHour`, straight from DateTime's parts: the reference. */
const referenceDay = (zone: DateTime.TimeZone, startHour: number, epochMs: number) => {
  const parts = DateTime.toParts(DateTime.unsafeMakeZoned(epochMs, { timeZone: zone }))
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hours, parts.minutes) - startHour * HOUR
  return Math.floor(wall / DAY)
}

describe("LocalDay", () => {
  it("a fixed offset: +05:30 days start at 18:30 UTC the day before", () => {
    const kolkata = LocalDay.make(DateTime.zoneMakeOffset(5.5 * HOUR))
    const day = dayNumber(2026, 3, 10)
    assert.strictEqual(kolkata.startOf(day), Date.UTC(2026, 2, 9, 18, 30))
    assert.strictEqual(kolkata.dayOf(Date.UTC(2026, 2, 9, 18, 29)), day - 1)
    assert.strictEqual(kolkata.dayOf(Date.UTC(2026, 2, 9, 18, 30)), day)
    assert.strictEqual(kolkata.isoDate(day), "2026-03-10")
  })

  it("Berlin: 29 March 2026 lasts 23 hours and 25 October 2026 lasts 25", () => {
    const spring = dayNumber(2026, 3, 29)
    assert.strictEqual(berlin.startOf(spring), Date.UTC(2026, 2, 28, 23))
    assert.strictEqual(berlin.startOf(spring + 1) - berlin.startOf(spring), 23 * HOUR)
    const autumn = dayNumber(2026, 10, 25)
    assert.strictEqual(berlin.startOf(autumn + 1) - berlin.startOf(autumn), 25 * HOUR)
    assert.strictEqual(berlin.dayOf(Date.UTC(2026, 9, 25, 22, 59)), autumn)
    assert.strictEqual(berlin.dayOf(Date.UTC(2026, 9, 25, 23)), autumn + 1)
  })

  it("São Paulo, 4 November 2018: DST began at midnight, so the day started at 01:00 local (03:00 UTC)", () => {
    const saoPaulo = LocalDay.make(DateTime.zoneUnsafeMakeNamed("America/Sao_Paulo"))
    const day = dayNumber(2018, 11, 4)
    assert.strictEqual(saoPaulo.startOf(day), Date.UTC(2018, 10, 4, 3))
    assert.strictEqual(saoPaulo.startOf(day + 1) - saoPaulo.startOf(day), 23 * HOUR)
    assert.strictEqual(saoPaulo.dayOf(Date.UTC(2018, 10, 4, 2, 59)), day - 1)
  })

  it("a day starting at 04:00: 03:59 in Berlin still belongs to the day before", () => {
    const late = LocalDay.make(berlin.timeZone, { startHour: 4 })
    const day = dayNumber(2026, 1, 6)
    assert.strictEqual(late.startOf(day), Date.UTC(2026, 0, 6, 3))
    assert.strictEqual(late.dayOf(Date.UTC(2026, 0, 6, 2, 59)), day - 1)
  })

  it("settings decode from a zone name or an offset", () => {
    const named = LocalDay.fromSettings(
      Schema.decodeUnknownSync(LocalDay.Settings)({ timeZone: "Europe/Berlin", startHour: 4 }),
    )
    assert.strictEqual(named.dayOf(Date.UTC(2026, 0, 6, 2, 59)), dayNumber(2026, 1, 5))
    const offset = LocalDay.fromSettings(
      Schema.decodeUnknownSync(LocalDay.Settings)({ timeZone: "-03:00", startHour: 0 }),
    )
    assert.strictEqual(offset.startOf(dayNumber(2026, 1, 6)), Date.UTC(2026, 0, 6, 3))
  })

  const zones = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham"]

  it.prop(
    "every instant lies in its day, and the day agrees with DateTime's own reading of the local date",
    [
      fc.constantFrom(...zones),
      fc.constantFrom(0, 4),
      fc.array(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), { minLength: 1, maxLength: 40 }),
    ],
    ([name, startHour, instants]) => {
      const zone = DateTime.zoneUnsafeMakeNamed(name)
      const calendar = LocalDay.make(zone, { startHour })
      for (const instant of instants) {
        const day = calendar.dayOf(instant)
        assert.isAtMost(calendar.startOf(day), instant)
        assert.isAbove(calendar.startOf(day + 1), instant)
        assert.strictEqual(day, referenceDay(zone, startHour, instant))
      }
    },
  )
})
