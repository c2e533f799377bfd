# deskport's messages in English, the reference language: every message is here first.
# Add a message here and in every other locales/*/deskport.ftl (the tests check).

## Actions: hints, help and the palette
action-quit = quit
action-help = help
action-palette = commands
action-next_tab = next tab
action-prev_tab = previous tab
action-tab_1 = first tab
action-tab_2 = second tab
action-tab_3 = third tab
action-tab_4 = fourth tab
action-down = down
action-up = up
action-top = first
action-bottom = last
action-page_down = page down
action-page_up = page up
action-next_field = next field
action-prev_field = previous field
action-confirm = confirm
action-close = close
action-filter = filter
action-next_queue = next view
action-prev_queue = previous view
action-sort_next = sort by next column
action-sort_reverse = reverse sort
action-toggle_preview = toggle preview
action-assign_me = assign to me
action-toggle_closed = close or reopen
action-set_stage = set stage
action-set_priority = set priority
action-assign = assign
action-set_category = set category
action-set_tags = edit tags
action-mark = mark
action-mark_range = mark range
action-mark_all = mark all shown
action-move_down = move down
action-move_up = move up
action-toggle = switch
action-new = new
action-edit = edit
action-delete = delete
action-try = try out
action-save = save
action-make_default = make default
action-view_as = view as contact
action-next_step = next step
action-prev_step = previous step
action-revert = discard changes
action-reply = reply
action-note = internal note
action-who_can_see = who can see this ticket
action-edit_ccs = CCs
action-show_original = original mail
action-external_editor = continue in $EDITOR
action-saved_replies = saved replies
action-manage_saved_replies = manage saved replies
action-sign_out = sign out
action-sign_out_everywhere = sign out everywhere
action-change_password = change password
action-choose_language = choose the app's language
action-conflicts = resolve conflicts
action-accept = accept
action-decline = decline
action-request_code = email me a sign-in code
action-retry = retry

## Status bar and hint bar
status-not-signed-in = not signed in
status-embedded = embedded
status-error = error: { $text }
role-customer = customer
role-agent = agent
role-admin = admin
sync-connecting = … connecting
sync-online = ● online
sync-reconnecting = ↻ reconnecting…
sync-offline = ○ offline
sync-full =
    ↻ full sync, { $count ->
        [one] { $count } item
       *[other] { $count } items
    }
sync-changes =
    ↻ syncing, { $count ->
        [one] { $count } change
       *[other] { $count } changes
    }
sync-signed-out = ○ signed out
sync-cache-only = ○ cache only
sync-synced = synced { $time }
sync-not-yet = not synced yet
sync-pending = { $count } pending
sync-conflicts =
    { $count ->
        [one] { $count } conflict
       *[other] { $count } conflicts
    }
sync-conflicts-key =
    { $count ->
        [one] { $count } conflict
       *[other] { $count } conflicts
    } ({ $key } to settle)
hint-more = more
format-date-time = %Y-%m-%d %H:%M
format-date = %Y-%m-%d

## Tabs and help
tab-tickets = Tickets
tab-routing = Routing
tab-portal = Portal
tab-account = Account
tab-read-only = (read-only)
tab-read-only-short = (ro)
go-tickets = go to Tickets
go-routing = go to Routing
go-portal = go to Portal
go-account = go to Account
help-sign-in = Sign in
help-consent = Consent notice
help-everywhere = Everywhere
help-title = Help: { $title }
help-more = ↓ more
help-scroll-down = scroll down
help-scroll-up = scroll up
palette-title = Commands
palette-none = no matching command
palette-run = run
editor-off-over-ssh = the external editor is off over SSH: write here
ssh-idle-signed-out = Signed out after { $minutes } minutes without a key.
ssh-signin-instructions = Sign in with your portal account.
ssh-signin-code-offer = Leave the password empty to get a sign-in code by email.
ssh-signin-email = Email
ssh-signin-password = Password
ssh-signin-code-sent = If { $email } has an account here, a sign-in code is on its way to it.
ssh-signin-code = Code

## Sign-in
signin-title = Sign in to deskport
signin-demo-portal = Demo portal, embedded at { $server }
signin-demo-password = Every demo account's password is { $password }.
signin-choose-account = Choose an account:
signin-server = Server: { $server }
signin-email = Email
signin-password = Password
signin-code = Code
signin-nothing-to-clear = Nothing to clear.
signin-nothing-to-clear-key = Nothing to clear; { $key } quits.
signin-busy = Signing in as { $email }…
signin-sending-code = Sending a sign-in code to { $email }…
signin-failed = Cannot sign in: { $message }
signin-code-sent = Code sent to { $email } if it has an account here.
signin-enter-email = enter your email
signin-enter-code = enter the code from the email
signin-enter-password = enter a password
signin-email-first = enter your email first; the code goes there
signin-no-passwordless = this portal does not offer sign-in by email code; use your password
signin-no-code-sent = no code sent: { $why }
signin-no-demo-account = --user { $email }: no such demo account; choose one
signin-cmd-sign-in = sign in
signin-cmd-next-account = next account
signin-cmd-previous-account = previous account
signin-cmd-with-code = sign in with the code
signin-cmd-new-code = send a new code
signin-cmd-back = back to the password
signin-cmd-email-code = email me a code
signin-cmd-clear = clear the field
error-offline = the server cannot be reached

## Consent notice
consent-intro = Please read this notice. You can use the portal once you accept it.
consent-lines = lines { $first }–{ $last } of { $total }
consent-more-below = { $position } · more below
consent-recording = Recording your answer…
consent-accept = accept
consent-decline = decline (signs you out)
consent-cmd-accept = accept
consent-cmd-decline = decline and sign out
consent-changed = The notice has changed; please read it again.
consent-not-recorded = Could not record your answer: { $why }

## The ticket list
ticket-title = Ticket #{ $id }
tickets-yours-loading = Your tickets · loading…
tickets-yours = Your tickets · { $count }
tickets-loading-cached = Loading the cached tickets…
tickets-preview = Preview
tickets-preview-enter = Enter: the whole thread
tickets-filter-selected = (typing replaces it, End adds to it)
tickets-filter-unknown = not understood: { $words }
tickets-empty-offline = Offline, and nothing cached yet.
tickets-empty-loading = Loading tickets…
tickets-empty = No tickets to show.
tickets-empty-filtered = No ticket matches the filter.
tickets-cmd-keep-filter = keep filter
tickets-cmd-clear-filter = clear filter
tickets-cmd-back = back to list
tickets-cmd-open = open ticket
tickets-cmd-new = new ticket
column-id = #
column-id-new = new
column-subject = Subject
column-requester = Requester
column-company = Company
column-stage = Stage
column-priority = Priority
column-owner = Owner
column-inbox = Inbox
column-created = Opened
column-updated = Updated
stage-short-new = new
stage-short-on-contact = on contact
stage-short-on-us = on us
stage-short-closed = closed

## The thread
thread-description = description
thread-loading = Loading the thread…
thread-failed = The thread could not be loaded: { $why }
thread-from-cache = (from the cache; may be incomplete)
thread-note = internal note
thread-reply = reply
thread-you = you
thread-pending = (pending)
thread-email-from = email from { $address }
thread-email = email
thread-portal = portal
priority-low = low
priority-medium = medium
priority-high = high
priority-urgent = urgent

## The support form: its checks (also the server's answers) and its chrome
form-required = is required
form-field-required = { $label } is required
form-at-most = must be at most { $max } characters
form-single-line = must be a single line
form-email = must be an email address
error-ssh-key-unreadable = not an OpenSSH public key; paste one line of your .pub file (ssh-ed25519 AAAA… you@host)
form-one-of = must be one of: { $options }
form-unknown-field =
    is not a field of the support form{ $others ->
        [0] {""}
        [one] {" "}(nor is 1 other key)
       *[other] {" "}(nor are { $others } other keys)
    }
form-new-ticket = New ticket
form-subject = Subject
form-description = Description
form-choose = (choose)
form-discard-ticket = Discard this ticket?
form-hint-choice = ←/→ or Space choose · Ctrl-S send · Tab next field · Esc cancel
form-hint-text = Ctrl-S send · Tab next field · Esc cancel
form-cmd-send = send
form-cmd-cancel = cancel

## Replying
composer-placeholder-note = Write a note for the team; the customer never sees it.
composer-placeholder-reply = Write your reply.
composer-title-note = Internal note on #{ $id } (staff only)
composer-title-reply = Reply to #{ $id }
composer-discard-note = Discard this note?
composer-discard-reply = Discard this reply?
composer-empty = Write something first.
composer-too-long = At most { $max } characters, please.
composer-editor-failed = { $why }; your text is kept
composer-hint = Ctrl-S send · Esc discard · Ctrl-E $EDITOR
composer-cmd-discard = discard

## The Account tab
account-you = You
account-name = Name
account-email = Email
account-role = Role
account-company = Company
account-tickets = Tickets
tickets-open-closed = { $open } open, { $closed } closed
account-portal = Portal
account-address = Address
account-language = Language
account-registration = Registration
access-invite-only = invite only
access-self-registration = self registration
account-passwordless = Sign-in by email code
account-consent = Consent notice
account-available = available
account-off = off
account-loading = Loading…
account-password-changed = Password changed. Your other sessions were signed out.
account-cmd-next-change = next / change
account-cmd-new-password = new password
password-current = Current password
password-new = New password
password-again = New password again
password-type-current = Type your current password.
password-differ = The two new passwords differ.
password-offline = The server cannot be reached; try again later.
password-sessions-end = Your other sessions end; this one stays signed in.
password-changing = Changing the password…
password-changed = Password changed.
password-title = Change password

## The Account tab: language and SSH keys
account-app-language = App language
account-cmd-language = language
language-automatic = Automatic ({ $language })
language-name-en = English
language-name-it = Italiano
keys-title = SSH keys
keys-none = None yet. Press a to add the line of your .pub file.
keys-cmd-new = add SSH key
keys-cmd-delete = delete key
keys-cmd-add = add
keys-add-title = Add an SSH key
keys-paste = Paste one line of your public key file (~/.ssh/id_ed25519.pub):
keys-paste-hint = Enter adds · Esc cancels
keys-paste-first = Paste a public key line first.
keys-adding = Adding…
keys-delete-title = Delete SSH key
keys-delete-question = Delete the key { $fingerprint }? It will no longer sign you in.

## Questions and lists
confirm-yes = yes
confirm-no = no
list-first-row = first row
list-last-row = last row
tickets-not-recorded = could not record the change: { $why }
tickets-message-not-recorded = could not record the message: { $why }
tickets-close-title = Close ticket
tickets-close-question = Close #{ $id }?

## The server's answers a customer may read (the `message` of an error; its `code` never changes)
error-forbidden = your role may not do this
error-not-found = no such resource
error-internal = the server failed; the error is logged
error-version-conflict = changed by someone else; the current version is { $version }
error-wrong-login = wrong email or password
error-wrong-code = wrong or expired code
error-wrong-registration-code = wrong or expired registration code
error-no-token = sign in first: no bearer token
error-unknown-token = the token is unknown or was signed out
error-session-expired = the session expired; sign in again
error-consent-required = accept the consent notice first (POST /me/consent)
error-form-disabled = this portal does not take new tickets
error-passwordless-disabled = password-less sign-in is turned off for this portal
error-invite-only = this portal is invite-only: ask support for an invitation
error-account-locked = too many failed sign-ins; try again in { $minutes } minutes
error-stale-consent = the notice changed; the current version is { $version }
error-rate-limited-sign-in = too many sign-in requests; try again in { $seconds } s
error-rate-limited-code-email = too many code email requests; try again in { $seconds } s
error-rate-limited-invitation = too many invitation requests; try again in { $seconds } s

## Notices
conflicts-none = no conflicts to settle
leave-server-ended = the server ended the session; sign in again
leave-declined = You declined the consent notice, so you were signed out.
leave-signed-out = signed out { $email }
leave-signed-out-everywhere = signed out { $email } everywhere
notice-conflict = conflict on { $what }
notice-refused = { $what } refused: { $why }
too-small = The terminal is { $width }×{ $height }; deskport needs at least { $min_width }×{ $min_height }. Make the window larger, or press q to quit.
write-change = change to ticket #{ $id }
write-closing = closing ticket #{ $id }
write-reopening = reopening ticket #{ $id }
write-note = internal note on #{ $id }
write-reply = reply on #{ $id }
write-new-ticket = new ticket

## How long ago
ago-now = just now
ago-minutes =
    { $count ->
        [one] { $count } minute ago
       *[other] { $count } minutes ago
    }
ago-hours =
    { $count ->
        [one] { $count } hour ago
       *[other] { $count } hours ago
    }
ago-days =
    { $count ->
        [one] { $count } day ago
       *[other] { $count } days ago
    }

## The conflict dialog
conflict-status = Status
conflict-closed = closed
conflict-reopened = reopened
conflict-keep-theirs = keep theirs
conflict-apply-mine = apply mine
conflict-next = next conflict
conflict-previous = previous conflict
conflict-decide-later = decide later
conflict-later = later
conflict-server = Server: { $message }
conflict-nothing = Nothing to settle right now.
conflict-title = Conflicts
conflict-title-of = Conflict { $at } of { $count }
conflict-field = Field
conflict-theirs = Theirs (on the server)
conflict-mine = Mine (your change)
conflict-by-who-when = Your { $mine } ran into a change made on the server by { $who } { $when }.
conflict-by-who = Your { $mine } ran into a change made on the server by { $who }.
conflict-when = Your { $mine } ran into a change made on the server { $when }.
conflict-newer = Your { $mine } ran into a newer change on the server.

## The command line: `deskport login`, `sync`, `tickets`, `portal show` and its errors
cli-not-signed-in = not signed in; run `deskport login --server URL --email E` first
cli-cache-unopened = cannot open the local cache
cli-session-unsaved = cannot store the session
cli-output-failed = cannot write to standard output
cli-session-ended = the session has expired or was ended; run `deskport login` again
cli-consent-first = this portal asks you to accept its consent notice first; open `deskport` to read and accept it
cli-not-allowed = not allowed: { $reason }
cli-server-failed = the server failed (HTTP { $status }): { $reason }
cli-unexpected-answer = unexpected answer from { $server }: { $detail }
cli-not-found = not found on the server
cli-unreachable = cannot reach { $server } ({ $cause })
cli-cache-as-of = showing the cache as of { $time }
cli-never-synced = nothing has been synced yet
cli-no-portal-cached = no settings are cached yet: sync once online first
cli-password-prompt = Password for { $email }:
cli-code-prompt = Code from the email:
cli-enter-password = enter a password
cli-no-terminal = no terminal to prompt on; use { $flag }
cli-password-unread = cannot read the password from standard input
cli-code-unread = cannot read the code from standard input
cli-cancelled = cancelled
cli-signed-in = Signed in to { $server } as { $name } <{ $email }> ({ $role }).
cli-no-passwordless = this portal does not allow sign-in with an emailed code; sign in with a password (leave out --code)
cli-no-code-sent = no code was sent: { $reason }
cli-no-reason = no reason given
cli-code-on-its-way = A sign-in code is on its way to { $email } if it belongs to a registered customer of this portal (staff sign in with a password). It is valid for 15 minutes.
cli-tickets =
    { $count ->
        [one] { $count } ticket
       *[other] { $count } tickets
    }
cli-writes-unsent =
    { $count ->
        [one] { $count } write not sent yet (*)
       *[other] { $count } writes not sent yet (*)
    }
cli-sync-rebuilt = Rebuilt the cache from a snapshot: { $tickets }.
cli-sync-up-to-date = Up to date ({ $tickets }).
cli-sync-changed =
    { $count ->
        [one] { $count } ticket new or changed: { $ids }
       *[other] { $count } tickets new or changed: { $ids }
    }
cli-sync-gone =
    { $count ->
        [one] { $count } ticket no longer visible: { $ids }
       *[other] { $count } tickets no longer visible: { $ids }
    }
cli-sync-entity-updated =
    { $count ->
        [one] { $entity }: { $count } updated
       *[other] { $entity }: { $count } updated
    }
cli-sync-entity-removed =
    { $count ->
        [one] { $entity }: { $count } removed
       *[other] { $entity }: { $count } removed
    }
cli-sync-entity-portal = Portal settings
cli-sync-entity-domains = Domains
cli-sync-entity-inbox = Inboxes
cli-sync-entity-rule = Routing rules
cli-sync-entity-user = Staff
cli-sync-entity-contact = Contacts
cli-sync-entity-company = Companies
cli-sync-entity-saved_reply = Saved replies
cli-sync-writes = Writes sent: { $applied } applied, { $conflicted } in conflict, { $rejected } rejected.
cli-column-id = ID
cli-column-status = STATUS
cli-column-priority = PRIORITY
cli-column-subject = SUBJECT
cli-column-requester = REQUESTER
cli-column-owner = OWNER
cli-column-updated = UPDATED
cli-portal-name = name:
cli-portal-url = url:
cli-portal-language = language:
cli-portal-access = access:

## Idempotency-Key answers (a replay's refusal reads in the language of the replaying request)
error-idempotency-key-invalid = Idempotency-Key must be 1–200 visible ASCII characters
error-idempotency-key-reused = this Idempotency-Key was used for another request
error-idempotency-in-progress = a request with this Idempotency-Key is still running
