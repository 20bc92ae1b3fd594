-- tipdesk schema, version 1 (docs/ARCHITECTURE.md).
-- Every main record (cases, prosecutions, events) carries the common columns:
-- uuid, ref, office, status, rev, created/updated at/by, deleted_at.
-- Codes are stable ASCII identifiers (HTCDS 2.0 value names where the standard
-- has them); labels live in forms/.  Multi-select values: codes joined by ';'.
-- Dates are ISO YYYY-MM-DD; a partial date may be YYYY or YYYY-MM where a form allows it.

CREATE TABLE ref_province (
    pcode        TEXT PRIMARY KEY CHECK (pcode GLOB 'LA[0-9][0-9]'),
    name_en      TEXT NOT NULL,
    name_lo      TEXT NOT NULL,
    n_districts  INTEGER
);

CREATE TABLE ref_district (
    pcode        TEXT PRIMARY KEY CHECK (pcode GLOB 'LA[0-9][0-9][0-9][0-9]'),
    province     TEXT NOT NULL REFERENCES ref_province(pcode),
    name_en      TEXT NOT NULL,
    name_lo      TEXT NOT NULL,
    pcode_status TEXT NOT NULL CHECK (pcode_status IN ('hdx_codab_attribute', 'inferred_pcode')),
    source       TEXT
);
CREATE INDEX ref_district_province ON ref_district(province);

CREATE TABLE ref_country (
    iso2     TEXT PRIMARY KEY CHECK (iso2 GLOB '[A-Z][A-Z]'),
    iso3     TEXT NOT NULL UNIQUE,
    name_en  TEXT NOT NULL,
    name_lo  TEXT
);

-- Running numbers behind ref = OFFICE-YYYY-NNNN, per table, office and year.
CREATE TABLE ref_counter (
    tbl     TEXT NOT NULL,
    office  TEXT NOT NULL,
    year    INTEGER NOT NULL,
    last    INTEGER NOT NULL,
    PRIMARY KEY (tbl, office, year)
) WITHOUT ROWID;

CREATE TABLE cases (
    id              INTEGER PRIMARY KEY,
    uuid            TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    ref             TEXT NOT NULL UNIQUE,
    office          TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'complete', 'verified')),
    rev             INTEGER NOT NULL DEFAULT 1 CHECK (rev >= 1),
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    updated_by      TEXT NOT NULL,
    deleted_at      TEXT,
    -- registration
    registered_on   TEXT,
    identified_by   TEXT CHECK (identified_by IN ('Police', 'BorderImmigration', 'WomensUnion',
                        'SocialWelfare', 'NGO', 'Hotline', 'SelfReferral', 'ForeignAuthorityReturn', 'Other')),
    returned_from   TEXT,
    referral_org    TEXT,
    referral_on     TEXT,
    consent         INTEGER CHECK (consent IN (0, 1)),
    -- person (pii fields are marked in forms/case.ini)
    first_name      TEXT,
    last_name       TEXT,
    sex             TEXT CHECK (sex IN ('F', 'M', 'X', 'U')),
    birth_date      TEXT,
    age             INTEGER CHECK (age BETWEEN 0 AND 120),
    age_estimated   INTEGER CHECK (age_estimated IN (0, 1)),
    age_group       TEXT CHECK (age_group IN ('Child', 'Adult', 'Unknown')),
    citizenship     TEXT,
    ethnic_group    TEXT,
    language        TEXT,
    education       TEXT,
    marital_status  TEXT,
    id_document     TEXT,
    phone           TEXT,
    home_province   TEXT,
    home_district   TEXT,
    home_village    TEXT,
    -- trafficking
    trafficking_status TEXT CHECK (trafficking_status IN ('PossibleVictimOfTrafficking',
                        'ActualVictimOfTrafficking', 'NotAVictimOfTrafficking')),
    status_decided_by  TEXT,
    status_decided_on  TEXT,
    recruiter_relation TEXT,
    recruitment_method TEXT,
    means_of_control   TEXT,
    exploitation       TEXT,
    labour_sector      TEXT,
    exploitation_country TEXT,
    exploitation_place TEXT,
    route              TEXT CHECK (route IN ('Internal', 'CrossBorder')),
    months_exploited   INTEGER CHECK (months_exploited >= 0),
    age_trafficked     INTEGER CHECK (age_trafficked BETWEEN 0 AND 120),
    -- screening result suggested by the protocol check (computed by the form)
    screening_result   TEXT CHECK (screening_result IN ('PossibleVictim', 'NotIndicated', 'Inconclusive')),
    -- protection and case management
    case_status        TEXT CHECK (case_status IN ('Active', 'FollowUp', 'Closed', 'ClosedReferred')),
    closure_reason     TEXT,
    referred_to        TEXT,
    followup_on        TEXT,
    notes              TEXT
);
-- List orders (keyset paging uses the same expressions as these indexes).
CREATE INDEX cases_list_date ON cases(ifnull(registered_on, ''), id);
CREATE INDEX cases_list_name ON cases(ifnull(last_name, '') || ' ' || ifnull(first_name, ''), id);
CREATE INDEX cases_registered ON cases(registered_on);
CREATE INDEX cases_place ON cases(home_province, home_district);
CREATE INDEX cases_tstatus ON cases(trafficking_status, registered_on);
CREATE INDEX cases_office ON cases(office, updated_at);
CREATE INDEX cases_updated ON cases(updated_at);

-- Journey: recruitment, transit and exploitation steps (HTCDS hte_*).
CREATE TABLE case_events (
    id          INTEGER PRIMARY KEY,
    case_uuid   TEXT NOT NULL REFERENCES cases(uuid) ON DELETE CASCADE ON UPDATE CASCADE,
    seq         INTEGER NOT NULL,
    step        TEXT CHECK (step IN ('Recruitment', 'Transit', 'Exploitation')),
    event_on    TEXT,
    country     TEXT,
    province    TEXT,
    district    TEXT,
    place       TEXT,
    description TEXT,
    UNIQUE (case_uuid, seq)
);

-- UN Trafficking Protocol screening: one row per item answered.
-- item codes: act_*, means_*, purpose_*, cond_* (forms/case.ini lists them).
CREATE TABLE case_screening (
    id          INTEGER PRIMARY KEY,
    case_uuid   TEXT NOT NULL REFERENCES cases(uuid) ON DELETE CASCADE ON UPDATE CASCADE,
    seq         INTEGER NOT NULL,
    item        TEXT NOT NULL CHECK (item GLOB 'act_*' OR item GLOB 'means_*'
                    OR item GLOB 'purpose_*' OR item GLOB 'cond_*'),
    answer      TEXT CHECK (answer IN ('Yes', 'No', 'Unknown', 'Refused')),
    UNIQUE (case_uuid, item)
);

-- Protection: assistance given (type codes in forms/lists.ini).
CREATE TABLE case_assistance (
    id          INTEGER PRIMARY KEY,
    case_uuid   TEXT NOT NULL REFERENCES cases(uuid) ON DELETE CASCADE ON UPDATE CASCADE,
    seq         INTEGER NOT NULL,
    type        TEXT,
    provider    TEXT,
    start_on    TEXT,
    end_on      TEXT,
    status      TEXT CHECK (status IN ('Planned', 'Ongoing', 'Completed', 'Refused', 'Discontinued')),
    notes       TEXT,
    UNIQUE (case_uuid, seq)
);
CREATE INDEX case_assistance_type ON case_assistance(type, status);

CREATE TABLE prosecutions (
    id              INTEGER PRIMARY KEY,
    uuid            TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    ref             TEXT NOT NULL UNIQUE,
    office          TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'complete', 'verified')),
    rev             INTEGER NOT NULL DEFAULT 1 CHECK (rev >= 1),
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    updated_by      TEXT NOT NULL,
    deleted_at      TEXT,
    court_case_no   TEXT,
    police_case_no  TEXT,
    agency          TEXT,
    legal_basis     TEXT,
    province        TEXT,
    district        TEXT,
    reported_on     TEXT,
    investigated_on TEXT,
    investigation_outcome TEXT CHECK (investigation_outcome IN ('Ongoing', 'Referred', 'Dismissed', 'Withdrawn')),
    sent_to_prosecutor_on TEXT,
    charged_on      TEXT,
    prosecution_outcome TEXT CHECK (prosecution_outcome IN ('Ongoing', 'Referred', 'Dismissed', 'Withdrawn')),
    verdict_on      TEXT,
    verdict         TEXT CHECK (verdict IN ('Pending', 'Convicted', 'Acquitted', 'Dismissed')),
    appeal          INTEGER CHECK (appeal IN (0, 1)),
    appeal_outcome  TEXT,
    exploitation    TEXT,
    transnational   INTEGER CHECK (transnational IN (0, 1)),
    countries       TEXT,
    official_involved INTEGER CHECK (official_involved IN (0, 1)),
    assets_lak      INTEGER CHECK (assets_lak >= 0),
    victims_count   INTEGER CHECK (victims_count >= 0),
    victims_unlinked INTEGER CHECK (victims_unlinked >= 0),
    notes           TEXT
);
CREATE INDEX prosecutions_list_date ON prosecutions(ifnull(investigated_on, ''), id);
CREATE INDEX prosecutions_list_name ON prosecutions(ifnull(court_case_no, ''), id);
CREATE INDEX prosecutions_investigated ON prosecutions(investigated_on);
CREATE INDEX prosecutions_charged ON prosecutions(charged_on);
CREATE INDEX prosecutions_verdict ON prosecutions(verdict_on, verdict);
CREATE INDEX prosecutions_office ON prosecutions(office, updated_at);
CREATE INDEX prosecutions_updated ON prosecutions(updated_at);

CREATE TABLE suspects (
    id              INTEGER PRIMARY KEY,
    prosecution_uuid TEXT NOT NULL REFERENCES prosecutions(uuid) ON DELETE CASCADE ON UPDATE CASCADE,
    seq             INTEGER NOT NULL,
    first_name      TEXT,
    last_name       TEXT,
    sex             TEXT CHECK (sex IN ('F', 'M', 'X', 'U')),
    age             INTEGER CHECK (age BETWEEN 0 AND 120),
    age_group       TEXT CHECK (age_group IN ('Child', 'Adult', 'Unknown')),
    citizenship     TEXT,
    role            TEXT,
    relation_to_victim TEXT,
    stage           TEXT CHECK (stage IN ('Suspected', 'Arrested', 'Prosecuted', 'Convicted', 'Acquitted')),
    sentence_months INTEGER CHECK (sentence_months >= 0),
    fine_lak        INTEGER CHECK (fine_lak >= 0),
    UNIQUE (prosecution_uuid, seq)
);
CREATE INDEX suspects_stage ON suspects(stage);

-- Victims of a prosecution: links to case records by uuid.  The case may not
-- be present in every database (it travels in its own office's bundles).
CREATE TABLE prosecution_victims (
    id               INTEGER PRIMARY KEY,
    prosecution_uuid TEXT NOT NULL REFERENCES prosecutions(uuid) ON DELETE CASCADE ON UPDATE CASCADE,
    seq              INTEGER NOT NULL,
    case_uuid        TEXT NOT NULL CHECK (length(case_uuid) = 36),
    UNIQUE (prosecution_uuid, case_uuid)
);
CREATE INDEX prosecution_victims_case ON prosecution_victims(case_uuid);

CREATE TABLE events (
    id              INTEGER PRIMARY KEY,
    uuid            TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    ref             TEXT NOT NULL UNIQUE,
    office          TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'complete', 'verified')),
    rev             INTEGER NOT NULL DEFAULT 1 CHECK (rev >= 1),
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    updated_by      TEXT NOT NULL,
    deleted_at      TEXT,
    title           TEXT,
    pillar          TEXT CHECK (pillar IN ('Policy', 'Prevention', 'Prosecution', 'Protection')),
    activity_code   TEXT,
    event_type      TEXT,
    start_on        TEXT,
    end_on          TEXT,
    province        TEXT,
    district        TEXT,
    village         TEXT,
    border_area     TEXT,
    high_risk       INTEGER CHECK (high_risk IN (0, 1)),
    organiser       TEXT,
    organiser_type  TEXT,
    partners        TEXT,
    target_groups   TEXT,
    topics          TEXT,
    languages       TEXT,
    participants_f  INTEGER CHECK (participants_f >= 0),
    participants_m  INTEGER CHECK (participants_m >= 0),
    participants_u  INTEGER CHECK (participants_u >= 0),
    participants_under18 INTEGER CHECK (participants_under18 >= 0),
    participants_total INTEGER CHECK (participants_total >= 0),
    materials_count INTEGER CHECK (materials_count >= 0),
    media_reach     INTEGER CHECK (media_reach >= 0),
    cost_lak        INTEGER CHECK (cost_lak >= 0),
    funding_source  TEXT,
    tested_count    INTEGER CHECK (tested_count >= 0),
    pre_score       REAL CHECK (pre_score BETWEEN 0 AND 100),
    post_score      REAL CHECK (post_score BETWEEN 0 AND 100),
    score_gain      REAL,
    followup_planned INTEGER CHECK (followup_planned IN (0, 1)),
    followup_on     TEXT,
    followup_done   INTEGER CHECK (followup_done IN (0, 1)),
    followup_finding TEXT,
    referrals_count INTEGER CHECK (referrals_count >= 0),
    cases_identified INTEGER CHECK (cases_identified >= 0),
    outcome_notes   TEXT
);
CREATE INDEX events_list_date ON events(ifnull(start_on, ''), id);
CREATE INDEX events_list_name ON events(ifnull(title, ''), id);
CREATE INDEX events_start ON events(start_on);
CREATE INDEX events_place ON events(province, district);
CREATE INDEX events_office ON events(office, updated_at);
CREATE INDEX events_updated ON events(updated_at);

-- Every change, in the same transaction as the change.  changes is a JSON
-- object {"column": [old, new], ...}.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    user      TEXT NOT NULL,
    office    TEXT NOT NULL,
    tbl       TEXT NOT NULL CHECK (tbl IN ('cases', 'prosecutions', 'events')),
    uuid      TEXT NOT NULL,
    action    TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'restore', 'import')),
    rev       INTEGER NOT NULL,
    changes   TEXT
);
CREATE INDEX audit_log_record ON audit_log(uuid, id);

-- An open form's unsaved values (JSON), written as the clerk types.
CREATE TABLE drafts (
    id          INTEGER PRIMARY KEY,
    form        TEXT NOT NULL,
    record_uuid TEXT,
    user        TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    data        TEXT NOT NULL
);

-- Bundle history (docs/ARCHITECTURE.md, "A bundle's path").
CREATE TABLE exports (
    id          INTEGER PRIMARY KEY,
    office      TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    file        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    since       TEXT,
    counts      TEXT,
    checksum    TEXT NOT NULL,
    UNIQUE (office, seq)
);

CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    office      TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    file        TEXT NOT NULL,
    checksum    TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    inserted    INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    unchanged   INTEGER NOT NULL DEFAULT 0,
    conflicts   INTEGER NOT NULL DEFAULT 0,
    UNIQUE (office, seq, checksum)
);

CREATE TABLE conflicts (
    id          INTEGER PRIMARY KEY,
    import_id   INTEGER NOT NULL REFERENCES imports(id),
    tbl         TEXT NOT NULL,
    uuid        TEXT NOT NULL,
    local_rev   INTEGER NOT NULL,
    remote_rev  INTEGER NOT NULL,
    remote_office TEXT NOT NULL,
    remote_data TEXT NOT NULL,
    resolved_at TEXT
);

-- Substring search (3+ characters) over names, refs and places.  Shorter
-- patterns search the base tables with instr(): SQLite 3.40's trigram
-- tokenizer finds nothing for them.
CREATE VIRTUAL TABLE cases_fts USING fts5(
    ref, first_name, last_name, home_village,
    content='cases', content_rowid='id', tokenize='trigram');
CREATE TRIGGER cases_fts_ai AFTER INSERT ON cases BEGIN
    INSERT INTO cases_fts(rowid, ref, first_name, last_name, home_village)
    VALUES (new.id, new.ref, new.first_name, new.last_name, new.home_village);
END;
CREATE TRIGGER cases_fts_ad AFTER DELETE ON cases BEGIN
    INSERT INTO cases_fts(cases_fts, rowid, ref, first_name, last_name, home_village)
    VALUES ('delete', old.id, old.ref, old.first_name, old.last_name, old.home_village);
END;
CREATE TRIGGER cases_fts_au AFTER UPDATE OF ref, first_name, last_name, home_village ON cases BEGIN
    INSERT INTO cases_fts(cases_fts, rowid, ref, first_name, last_name, home_village)
    VALUES ('delete', old.id, old.ref, old.first_name, old.last_name, old.home_village);
    INSERT INTO cases_fts(rowid, ref, first_name, last_name, home_village)
    VALUES (new.id, new.ref, new.first_name, new.last_name, new.home_village);
END;

CREATE VIRTUAL TABLE prosecutions_fts USING fts5(
    ref, court_case_no, police_case_no,
    content='prosecutions', content_rowid='id', tokenize='trigram');
CREATE TRIGGER prosecutions_fts_ai AFTER INSERT ON prosecutions BEGIN
    INSERT INTO prosecutions_fts(rowid, ref, court_case_no, police_case_no)
    VALUES (new.id, new.ref, new.court_case_no, new.police_case_no);
END;
CREATE TRIGGER prosecutions_fts_ad AFTER DELETE ON prosecutions BEGIN
    INSERT INTO prosecutions_fts(prosecutions_fts, rowid, ref, court_case_no, police_case_no)
    VALUES ('delete', old.id, old.ref, old.court_case_no, old.police_case_no);
END;
CREATE TRIGGER prosecutions_fts_au AFTER UPDATE OF ref, court_case_no, police_case_no ON prosecutions BEGIN
    INSERT INTO prosecutions_fts(prosecutions_fts, rowid, ref, court_case_no, police_case_no)
    VALUES ('delete', old.id, old.ref, old.court_case_no, old.police_case_no);
    INSERT INTO prosecutions_fts(rowid, ref, court_case_no, police_case_no)
    VALUES (new.id, new.ref, new.court_case_no, new.police_case_no);
END;

CREATE VIRTUAL TABLE events_fts USING fts5(
    ref, title, village, organiser,
    content='events', content_rowid='id', tokenize='trigram');
CREATE TRIGGER events_fts_ai AFTER INSERT ON events BEGIN
    INSERT INTO events_fts(rowid, ref, title, village, organiser)
    VALUES (new.id, new.ref, new.title, new.village, new.organiser);
END;
CREATE TRIGGER events_fts_ad AFTER DELETE ON events BEGIN
    INSERT INTO events_fts(events_fts, rowid, ref, title, village, organiser)
    VALUES ('delete', old.id, old.ref, old.title, old.village, old.organiser);
END;
CREATE TRIGGER events_fts_au AFTER UPDATE OF ref, title, village, organiser ON events BEGIN
    INSERT INTO events_fts(events_fts, rowid, ref, title, village, organiser)
    VALUES ('delete', old.id, old.ref, old.title, old.village, old.organiser);
    INSERT INTO events_fts(rowid, ref, title, village, organiser)
    VALUES (new.id, new.ref, new.title, new.village, new.organiser);
END;
