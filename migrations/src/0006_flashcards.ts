import { type Kysely, sql } from "kysely"

/**
 * Flashcards (docs/srs.md, "Server"): decks, their cards with each card's
 * scheduling state, and the append-only review log.
 *
 * A card's state is the `@ignition/srs` `CardState` as JSON (`state`); the
 * columns queries need — due time, pending re-drill, last review, interval,
 * scheduler — are generated from it, so they can never disagree with it. A
 * card's scheduler must be its deck's: the composite foreign key checks it at
 * commit, so switching a deck's scheduler and replaying its cards is one
 * transaction that cannot leave a card behind. Review ids are chosen by the
 * client (a retried review is applied once); the log is never updated.
 * Triggers keep the statistics' sums in step with the log: per deck and
 * local day (`learn_review_days`) and per card (`counted_reviews`, `lapses`).
 */
export const up = async (db: Kysely<unknown>): Promise<void> => {
  await sql`
    create table learn_decks (
      user_id uuid not null references users (id) on delete cascade,
      id uuid not null,
      name text not null check (char_length(name) between 1 and 200 and name = btrim(name)),
      scheduler text not null check (scheduler in ('sm2', 'fsrs')),
      options jsonb not null default '{}' check (jsonb_typeof(options) = 'object'),
      new_per_day integer not null default 20 check (new_per_day between 0 and 9999),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      primary key (user_id, id),
      unique (user_id, id, scheduler)
    )`.execute(db)

  await sql`
    create table learn_flashcards (
      user_id uuid not null,
      id uuid not null,
      deck_id uuid not null,
      -- The order cards were added in (an import's rows keep the file's order).
      seq bigint generated always as identity,
      front text not null check (char_length(front) between 1 and 10000),
      back text not null check (char_length(back) <= 10000),
      tags text[] not null default '{}' check (cardinality(tags) <= 32 and array_position(tags, null) is null),
      topic text check (topic is null or char_length(topic) between 1 and 128),
      state jsonb not null check (state ->> '_tag' in ('Sm2', 'Fsrs') and jsonb_typeof(state -> 'dueAt') = 'number'),
      scheduler text generated always as (case state ->> '_tag' when 'Sm2' then 'sm2' else 'fsrs' end) stored,
      due_at timestamptz generated always as (to_timestamp((state ->> 'dueAt')::bigint / 1000.0)) stored,
      redrill_until timestamptz generated always as (to_timestamp((state ->> 'redrillUntil')::bigint / 1000.0)) stored,
      last_reviewed_at timestamptz
        generated always as (to_timestamp((state ->> 'lastReviewedAt')::bigint / 1000.0)) stored,
      interval_days integer
        generated always as (coalesce(state ->> 'interval', state ->> 'scheduledDays')::integer) stored,
      -- Kept by the learn_reviews triggers: the card's reviews that count for true retention, and its lapses.
      counted_reviews integer not null default 0 check (counted_reviews >= lapses),
      lapses integer not null default 0 check (lapses >= 0),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      primary key (user_id, id),
      foreign key (user_id, deck_id) references learn_decks (user_id, id) on delete cascade,
      foreign key (user_id, deck_id, scheduler) references learn_decks (user_id, id, scheduler)
        on delete cascade deferrable initially deferred
    )`.execute(db)
  // The due queue: reviewed cards by due time, pending re-drills, new cards in the order they were added.
  await sql`create index learn_flashcards_due_idx on learn_flashcards (user_id, deck_id, due_at)
    where last_reviewed_at is not null`.execute(db)
  await sql`create index learn_flashcards_redrill_idx on learn_flashcards (user_id, redrill_until)
    where redrill_until is not null`.execute(db)
  await sql`create index learn_flashcards_new_idx on learn_flashcards (user_id, deck_id, seq)
    where last_reviewed_at is null`.execute(db)
  await sql`create index learn_flashcards_deck_idx on learn_flashcards (user_id, deck_id, seq)`.execute(db)

  await sql`
    create table learn_reviews (
      user_id uuid not null,
      id uuid not null,
      card_id uuid not null,
      -- The card's deck (a card never changes deck): the daily rollup is kept per deck.
      deck_id uuid not null,
      scheduler text not null check (scheduler in ('sm2', 'fsrs')),
      grade smallint not null check (grade between 0 and 5),
      button text not null check (
        button = case when grade <= 2 then 'again' when grade = 3 then 'hard' when grade = 4 then 'good' else 'easy' end
      ),
      reviewed_at timestamptz not null,
      -- The learner's local day of the review, and whether it was the card's first that day (as the
      -- review was applied, in the learner's time zone then): analytics group by these, with no window.
      local_day date not null,
      first_of_day boolean not null,
      elapsed_days integer not null check (elapsed_days >= 0),
      duration_ms integer not null check (duration_ms >= 0),
      state_before jsonb not null check (state_before ->> '_tag' in ('Sm2', 'Fsrs')),
      state_after jsonb not null check (state_after ->> '_tag' = case scheduler when 'sm2' then 'Sm2' else 'Fsrs' end),
      -- The card's maturity before the review (learning: new or interval under a day; mature: 21 days or more).
      maturity text generated always as (
        case
          when state_before ->> 'lastReviewedAt' is null
            or coalesce(state_before ->> 'interval', state_before ->> 'scheduledDays')::integer < 1 then 'learning'
          when coalesce(state_before ->> 'interval', state_before ->> 'scheduledDays')::integer < 21 then 'young'
          else 'mature'
        end
      ) stored,
      -- Whether it counts for true retention: the card's first review that day, of a young or mature card.
      counted boolean generated always as (
        first_of_day and state_before ->> 'lastReviewedAt' is not null
          and coalesce(state_before ->> 'interval', state_before ->> 'scheduledDays')::integer >= 1
      ) stored,
      -- The card's first review ever: it introduced a new card (the daily new-card limit counts these).
      first_review boolean generated always as (state_before ->> 'lastReviewedAt' is null) stored,
      primary key (user_id, id),
      foreign key (user_id, card_id) references learn_flashcards (user_id, id) on delete cascade,
      foreign key (user_id, deck_id) references learn_decks (user_id, id) on delete cascade
    )`.execute(db)
  await sql`create index learn_reviews_time_idx on learn_reviews (user_id, reviewed_at)`.execute(db)
  await sql`create index learn_reviews_card_idx on learn_reviews (user_id, card_id, reviewed_at, id)`.execute(db)

  // Append-only: a review, once logged, is history (replays read it); only deleting its card removes it.
  await sql`
    create function learn_reviews_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'learn_reviews is append-only' using errcode = 'restrict_violation';
    end
    $$`.execute(db)
  await sql`
    create trigger learn_reviews_no_update before update on learn_reviews
      for each row execute function learn_reviews_append_only()`.execute(db)

  // The log summed per deck and local day, by maturity, button and whether the review counts: the daily
  // statistics read these few rows instead of the log. Kept in step with the log by the triggers below.
  await sql`
    create table learn_review_days (
      user_id uuid not null,
      deck_id uuid not null,
      local_day date not null,
      maturity text not null check (maturity in ('learning', 'young', 'mature')),
      button text not null check (button in ('again', 'hard', 'good', 'easy')),
      counted boolean not null,
      reviews integer not null check (reviews >= 0),
      primary key (user_id, deck_id, local_day, maturity, button, counted),
      foreign key (user_id, deck_id) references learn_decks (user_id, id) on delete cascade
    )`.execute(db)
  // Once per statement, from its transition table: an import of many reviews is one upsert, not one per row.
  // A deleted review (its card or deck deleted) is taken off again; rows of a deleted deck are gone already.
  await sql`
    create function learn_reviews_added() returns trigger language plpgsql as $$
    begin
      insert into learn_review_days as d (user_id, deck_id, local_day, maturity, button, counted, reviews)
        select user_id, deck_id, local_day, maturity, button, counted, count(*)::int
        from added group by user_id, deck_id, local_day, maturity, button, counted
      on conflict (user_id, deck_id, local_day, maturity, button, counted)
        do update set reviews = d.reviews + excluded.reviews;
      update learn_flashcards c set counted_reviews = c.counted_reviews + r.counted, lapses = c.lapses + r.lapses
        from (
          select user_id, card_id, count(*)::int as counted, count(*) filter (where button = 'again')::int as lapses
          from added where counted group by user_id, card_id
        ) r
        where c.user_id = r.user_id and c.id = r.card_id;
      return null;
    end
    $$`.execute(db)
  await sql`
    create function learn_reviews_removed() returns trigger language plpgsql as $$
    begin
      update learn_review_days d set reviews = d.reviews - r.reviews
        from (
          select user_id, deck_id, local_day, maturity, button, counted, count(*)::int as reviews
          from removed group by user_id, deck_id, local_day, maturity, button, counted
        ) r
        where d.user_id = r.user_id and d.deck_id = r.deck_id and d.local_day = r.local_day
          and d.maturity = r.maturity and d.button = r.button and d.counted = r.counted;
      update learn_flashcards c set counted_reviews = c.counted_reviews - r.counted, lapses = c.lapses - r.lapses
        from (
          select user_id, card_id, count(*)::int as counted, count(*) filter (where button = 'again')::int as lapses
          from removed where counted group by user_id, card_id
        ) r
        where c.user_id = r.user_id and c.id = r.card_id;
      return null;
    end
    $$`.execute(db)
  await sql`
    create trigger learn_reviews_added after insert on learn_reviews
      referencing new table as added for each statement execute function learn_reviews_added()`.execute(db)
  await sql`
    create trigger learn_reviews_removed after delete on learn_reviews
      referencing old table as removed for each statement execute function learn_reviews_removed()`.execute(db)
}

export const down = async (db: Kysely<unknown>): Promise<void> => {
  for (const table of ["learn_review_days", "learn_reviews", "learn_flashcards", "learn_decks"]) {
    await db.schema.dropTable(table).execute()
  }
  for (const name of ["learn_reviews_append_only", "learn_reviews_added", "learn_reviews_removed"]) {
    await sql`drop function ${sql.raw(name)}()`.execute(db)
  }
}
