# I messaggi di deskport in italiano. Stessi messaggi e segnaposto dell'inglese.

## Actions: hints, help and the palette
action-quit = esci
action-help = aiuto
action-palette = comandi
action-next_tab = scheda successiva
action-prev_tab = scheda precedente
action-tab_1 = prima scheda
action-tab_2 = seconda scheda
action-tab_3 = terza scheda
action-tab_4 = quarta scheda
action-down = giù
action-up = su
action-top = primo
action-bottom = ultimo
action-page_down = pagina giù
action-page_up = pagina su
action-next_field = campo successivo
action-prev_field = campo precedente
action-confirm = conferma
action-close = chiudi
action-filter = filtra
action-next_queue = vista successiva
action-prev_queue = vista precedente
action-sort_next = ordina per la colonna successiva
action-sort_reverse = inverti l'ordine
action-toggle_preview = mostra o nascondi l'anteprima
action-assign_me = assegna a me
action-toggle_closed = chiudi o riapri
action-set_stage = imposta la fase
action-set_priority = imposta la priorità
action-assign = assegna
action-set_category = imposta la categoria
action-set_tags = modifica le etichette
action-mark = seleziona
action-mark_range = seleziona un intervallo
action-mark_all = seleziona tutti i visibili
action-move_down = sposta giù
action-move_up = sposta su
action-toggle = attiva o disattiva
action-new = nuovo
action-edit = modifica
action-delete = elimina
action-try = prova
action-save = salva
action-make_default = rendi predefinito
action-view_as = vedi come contatto
action-next_step = passo successivo
action-prev_step = passo precedente
action-revert = annulla le modifiche
action-reply = rispondi
action-note = nota interna
action-who_can_see = chi può vedere questo ticket
action-edit_ccs = persone in copia
action-show_original = mail originale
action-external_editor = continua in $EDITOR
action-saved_replies = risposte salvate
action-manage_saved_replies = gestisci le risposte salvate
action-sign_out = esci dall'account
action-sign_out_everywhere = esci ovunque
action-change_password = cambia la password
action-choose_language = scegli la lingua dell'app
action-conflicts = risolvi i conflitti
action-accept = accetta
action-decline = rifiuta
action-request_code = inviami un codice di accesso
action-retry = riprova

## Status bar and hint bar
status-not-signed-in = accesso non effettuato
status-embedded = integrato
status-error = errore: { $text }
role-customer = cliente
role-agent = operatore
role-admin = amministratore
sync-connecting = … connessione
sync-online = ● in linea
sync-reconnecting = ↻ riconnessione…
sync-offline = ○ non in linea
sync-full =
    ↻ sincronizzazione completa, { $count ->
        [one] { $count } elemento
       *[other] { $count } elementi
    }
sync-changes =
    ↻ sincronizzazione, { $count ->
        [one] { $count } modifica
       *[other] { $count } modifiche
    }
sync-signed-out = ○ disconnesso
sync-cache-only = ○ solo cache
sync-synced = sincronizzato { $time }
sync-not-yet = non ancora sincronizzato
sync-pending = { $count } in attesa
sync-conflicts =
    { $count ->
        [one] { $count } conflitto
       *[other] { $count } conflitti
    }
sync-conflicts-key =
    { $count ->
        [one] { $count } conflitto
       *[other] { $count } conflitti
    } ({ $key } per risolvere)
hint-more = altro
format-date-time = %d/%m/%Y %H:%M
format-date = %d/%m/%Y

## Tabs and help
tab-tickets = Ticket
tab-routing = Smistamento
tab-portal = Portale
tab-account = Account
tab-read-only = (sola lettura)
tab-read-only-short = (sl)
go-tickets = vai a Ticket
go-routing = vai a Smistamento
go-portal = vai a Portale
go-account = vai ad Account
help-sign-in = Accesso
help-consent = Informativa sul consenso
help-everywhere = Ovunque
help-title = Aiuto: { $title }
help-more = ↓ altro
help-scroll-down = scorri giù
help-scroll-up = scorri su
palette-title = Comandi
palette-none = nessun comando corrisponde
palette-run = esegui
editor-off-over-ssh = niente editor esterno via SSH: scrivi qui
ssh-idle-signed-out = Disconnesso dopo { $minutes } minuti senza tasti premuti.
ssh-signin-instructions = Accedi con il tuo account del portale.
ssh-signin-code-offer = Lascia vuota la password per ricevere un codice di accesso via email.
ssh-signin-email = Email
ssh-signin-password = Password
ssh-signin-code-sent = Se { $email } ha un account qui, le stiamo inviando un codice di accesso.
ssh-signin-code = Codice

## Sign-in
signin-title = Accedi a deskport
signin-demo-portal = Portale dimostrativo, integrato su { $server }
signin-demo-password = La password di ogni account dimostrativo è { $password }.
signin-choose-account = Scegli un account:
signin-server = Server: { $server }
signin-email = Email
signin-password = Password
signin-code = Codice
signin-nothing-to-clear = Niente da cancellare.
signin-nothing-to-clear-key = Niente da cancellare; { $key } esce.
signin-busy = Accesso come { $email }…
signin-sending-code = Invio di un codice di accesso a { $email }…
signin-failed = Accesso non riuscito: { $message }
signin-code-sent = Codice inviato a { $email }, se ha un account qui.
signin-enter-email = inserisci la tua email
signin-enter-code = inserisci il codice ricevuto per email
signin-enter-password = inserisci una password
signin-email-first = inserisci prima la tua email; il codice arriva lì
signin-no-passwordless = questo portale non offre l'accesso con codice via email; usa la tua password
signin-no-code-sent = nessun codice inviato: { $why }
signin-no-demo-account = --user { $email }: questo account dimostrativo non esiste; scegline uno
signin-cmd-sign-in = accedi
signin-cmd-next-account = account successivo
signin-cmd-previous-account = account precedente
signin-cmd-with-code = accedi con il codice
signin-cmd-new-code = invia un nuovo codice
signin-cmd-back = torna alla password
signin-cmd-email-code = inviami un codice
signin-cmd-clear = svuota il campo
error-offline = il server non è raggiungibile

## Consent notice
consent-intro = Leggi questa informativa. Potrai usare il portale dopo averla accettata.
consent-lines = righe { $first }–{ $last } di { $total }
consent-more-below = { $position } · continua sotto
consent-recording = Registrazione della risposta…
consent-accept = accetta
consent-decline = rifiuta (esci dall'account)
consent-cmd-accept = accetta
consent-cmd-decline = rifiuta ed esci
consent-changed = L'informativa è cambiata; leggila di nuovo.
consent-not-recorded = Impossibile registrare la tua risposta: { $why }

## The ticket list
ticket-title = Ticket n. { $id }
tickets-yours-loading = I tuoi ticket · caricamento…
tickets-yours = I tuoi ticket · { $count }
tickets-loading-cached = Caricamento dei ticket in cache…
tickets-preview = Anteprima
tickets-preview-enter = Invio: tutta la conversazione
tickets-filter-selected = (scrivere lo sostituisce, Fine lo completa)
tickets-filter-unknown = non compreso: { $words }
tickets-empty-offline = Non in linea, e ancora nulla in cache.
tickets-empty-loading = Caricamento dei ticket…
tickets-empty = Nessun ticket da mostrare.
tickets-empty-filtered = Nessun ticket corrisponde al filtro.
tickets-cmd-keep-filter = mantieni il filtro
tickets-cmd-clear-filter = togli il filtro
tickets-cmd-back = torna all'elenco
tickets-cmd-open = apri il ticket
tickets-cmd-new = nuovo ticket
column-id = N.
column-id-new = nuovo
column-subject = Oggetto
column-requester = Richiedente
column-company = Azienda
column-stage = Stato
column-priority = Priorità
column-owner = Assegnatario
column-inbox = Casella
column-created = Aperto
column-updated = Modificato
stage-short-new = nuovo
stage-short-on-contact = al cliente
stage-short-on-us = da noi
stage-short-closed = chiuso

## The thread
thread-description = descrizione
thread-loading = Caricamento della conversazione…
thread-failed = Impossibile caricare la conversazione: { $why }
thread-from-cache = (dalla cache; potrebbe essere incompleta)
thread-note = nota interna
thread-reply = risposta
thread-you = tu
thread-pending = (in attesa)
thread-email-from = email da { $address }
thread-email = email
thread-portal = portale
priority-low = bassa
priority-medium = media
priority-high = alta
priority-urgent = urgente

## The support form: its checks (also the server's answers) and its chrome
form-required = è un campo obbligatorio
form-field-required = { $label } è un campo obbligatorio
form-at-most = deve avere al massimo { $max } caratteri
form-single-line = deve stare su una sola riga
form-email = deve essere un indirizzo email
error-ssh-key-unreadable = non è una chiave pubblica OpenSSH; incolla una riga del tuo file .pub (ssh-ed25519 AAAA… tu@host)
form-one-of = deve essere uno tra: { $options }
form-unknown-field =
    non è un campo del modulo di assistenza{ $others ->
        [0] {""}
        [one] {" "}(né lo è un'altra chiave)
       *[other] {" "}(né lo sono altre { $others } chiavi)
    }
form-new-ticket = Nuovo ticket
form-subject = Oggetto
form-description = Descrizione
form-choose = (scegli)
form-discard-ticket = Scartare questo ticket?
form-hint-choice = ←/→ o Spazio sceglie · Ctrl-S invia · Tab campo successivo · Esc annulla
form-hint-text = Ctrl-S invia · Tab campo successivo · Esc annulla
form-cmd-send = invia
form-cmd-cancel = annulla

## Replying
composer-placeholder-note = Scrivi una nota per il team; il cliente non la vede mai.
composer-placeholder-reply = Scrivi la tua risposta.
composer-title-note = Nota interna sul ticket n. { $id } (solo staff)
composer-title-reply = Risposta al ticket n. { $id }
composer-discard-note = Scartare questa nota?
composer-discard-reply = Scartare questa risposta?
composer-empty = Scrivi prima qualcosa.
composer-too-long = Al massimo { $max } caratteri, per favore.
composer-editor-failed = { $why }; il tuo testo è conservato
composer-hint = Ctrl-S invia · Esc scarta · Ctrl-E $EDITOR
composer-cmd-discard = scarta

## The Account tab
account-you = Tu
account-name = Nome
account-email = Email
account-role = Ruolo
account-company = Azienda
account-tickets = Ticket
tickets-open-closed =
    { $open ->
        [one] { $open } aperto
       *[other] { $open } aperti
    }, { $closed ->
        [one] { $closed } chiuso
       *[other] { $closed } chiusi
    }
account-portal = Portale
account-address = Indirizzo
account-language = Lingua
account-registration = Registrazione
access-invite-only = solo su invito
access-self-registration = registrazione libera
account-passwordless = Accesso con codice
account-consent = Informativa consenso
account-available = disponibile
account-off = disattivato
account-loading = Caricamento…
account-password-changed = Password cambiata. Le tue altre sessioni sono state chiuse.
account-cmd-next-change = avanti / cambia
account-cmd-new-password = nuova password
password-current = Password attuale
password-new = Nuova password
password-again = Ripeti password
password-type-current = Scrivi la tua password attuale.
password-differ = Le due nuove password sono diverse.
password-offline = Il server non è raggiungibile; riprova più tardi.
password-sessions-end = Le altre sessioni vengono chiuse; questa resta aperta.
password-changing = Cambio della password…
password-changed = Password cambiata.
password-title = Cambia password

## The Account tab: language and SSH keys
account-app-language = Lingua dell'app
account-cmd-language = lingua
language-automatic = Automatica ({ $language })
language-name-en = English
language-name-it = Italiano
keys-title = Chiavi SSH
keys-none = Nessuna per ora. Premi a per aggiungere la riga del tuo file .pub.
keys-cmd-new = aggiungi chiave SSH
keys-cmd-delete = elimina chiave
keys-cmd-add = aggiungi
keys-add-title = Aggiungi una chiave SSH
keys-paste = Incolla una riga del file della chiave pubblica (~/.ssh/id_ed25519.pub):
keys-paste-hint = Invio aggiunge · Esc annulla
keys-paste-first = Prima incolla la riga di una chiave pubblica.
keys-adding = Aggiunta in corso…
keys-delete-title = Elimina chiave SSH
keys-delete-question = Eliminare la chiave { $fingerprint }? Non ti farà più accedere.

## Questions and lists
confirm-yes = sì
confirm-no = no
list-first-row = prima riga
list-last-row = ultima riga
tickets-not-recorded = impossibile registrare la modifica: { $why }
tickets-message-not-recorded = impossibile registrare il messaggio: { $why }
tickets-close-title = Chiudi il ticket
tickets-close-question = Chiudere il ticket n. { $id }?

## The server's answers a customer may read (the `message` of an error; its `code` never changes)
error-forbidden = il tuo ruolo non permette di farlo
error-not-found = risorsa inesistente
error-internal = il server ha avuto un errore; l'errore è stato registrato
error-version-conflict = modificato da qualcun altro; la versione attuale è { $version }
error-wrong-login = email o password errati
error-wrong-code = codice errato o scaduto
error-wrong-registration-code = codice di registrazione errato o scaduto
error-no-token = accedi prima: manca il token di accesso
error-unknown-token = il token è sconosciuto o la sessione è stata chiusa
error-session-expired = la sessione è scaduta; accedi di nuovo
error-consent-required = accetta prima l'informativa sul consenso (POST /me/consent)
error-form-disabled = questo portale non accetta nuovi ticket
error-passwordless-disabled = l'accesso senza password è disattivato per questo portale
error-invite-only = a questo portale si accede solo su invito: chiedi un invito all'assistenza
error-account-locked =
    troppi accessi non riusciti; riprova tra { $minutes ->
        [one] { $minutes } minuto
       *[other] { $minutes } minuti
    }
error-stale-consent = l'informativa è cambiata; la versione attuale è { $version }
error-rate-limited-sign-in = troppi tentativi di accesso; riprova tra { $seconds } s
error-rate-limited-code-email = troppe richieste di codici via email; riprova tra { $seconds } s
error-rate-limited-invitation = troppe richieste di invito; riprova tra { $seconds } s

## Notices
conflicts-none = nessun conflitto da risolvere
leave-server-ended = il server ha chiuso la sessione; accedi di nuovo
leave-declined = Hai rifiutato l'informativa sul consenso, quindi la sessione è stata chiusa.
leave-signed-out = disconnesso: { $email }
leave-signed-out-everywhere = disconnesso ovunque: { $email }
notice-conflict = conflitto: { $what }
notice-refused = rifiuto del server per «{ $what }»: { $why }
too-small = Il terminale è { $width }×{ $height }; deskport ha bisogno di almeno { $min_width }×{ $min_height }. Ingrandisci la finestra, oppure premi q per uscire.
write-change = modifica del ticket n. { $id }
write-closing = chiusura del ticket n. { $id }
write-reopening = riapertura del ticket n. { $id }
write-note = nota interna sul ticket n. { $id }
write-reply = risposta al ticket n. { $id }
write-new-ticket = nuovo ticket

## How long ago
ago-now = proprio ora
ago-minutes =
    { $count ->
        [one] { $count } minuto fa
       *[other] { $count } minuti fa
    }
ago-hours =
    { $count ->
        [one] { $count } ora fa
       *[other] { $count } ore fa
    }
ago-days =
    { $count ->
        [one] { $count } giorno fa
       *[other] { $count } giorni fa
    }

## The conflict dialog
conflict-status = Stato
conflict-closed = chiuso
conflict-reopened = riaperto
conflict-keep-theirs = tieni la loro
conflict-apply-mine = applica la mia
conflict-next = conflitto successivo
conflict-previous = conflitto precedente
conflict-decide-later = decidi dopo
conflict-later = dopo
conflict-server = Server: { $message }
conflict-nothing = Niente da risolvere per ora.
conflict-title = Conflitti
conflict-title-of = Conflitto { $at } di { $count }
conflict-field = Campo
conflict-theirs = La loro (sul server)
conflict-mine = La mia (la tua modifica)
conflict-by-who-when = «{ $mine }» è in conflitto con una modifica fatta sul server da { $who } { $when }.
conflict-by-who = «{ $mine }» è in conflitto con una modifica fatta sul server da { $who }.
conflict-when = «{ $mine }» è in conflitto con una modifica fatta sul server { $when }.
conflict-newer = «{ $mine }» è in conflitto con una modifica più recente sul server.

## The command line: `deskport login`, `sync`, `tickets`, `portal show` and its errors
cli-not-signed-in = non hai eseguito l'accesso; esegui prima `deskport login --server URL --email E`
cli-cache-unopened = impossibile aprire la cache locale
cli-session-unsaved = impossibile salvare la sessione
cli-output-failed = impossibile scrivere sullo standard output
cli-session-ended = la sessione è scaduta o è stata chiusa; esegui di nuovo `deskport login`
cli-consent-first = questo portale chiede prima di accettare l'informativa sul consenso; apri `deskport` per leggerla e accettarla
cli-not-allowed = non permesso: { $reason }
cli-server-failed = errore del server (HTTP { $status }): { $reason }
cli-unexpected-answer = risposta inattesa da { $server }: { $detail }
cli-not-found = non trovato sul server
cli-unreachable = impossibile raggiungere { $server } ({ $cause })
cli-cache-as-of = mostro la cache (ultima sincronizzazione: { $time })
cli-never-synced = non è stato ancora sincronizzato nulla
cli-no-portal-cached = nessuna impostazione in cache: sincronizza prima una volta online
cli-password-prompt = Password di { $email }:
cli-code-prompt = Codice ricevuto per email:
cli-enter-password = inserisci una password
cli-no-terminal = nessun terminale su cui chiedere; usa { $flag }
cli-password-unread = impossibile leggere la password dallo standard input
cli-code-unread = impossibile leggere il codice dallo standard input
cli-cancelled = annullato
cli-signed-in = Accesso eseguito su { $server } come { $name } <{ $email }> ({ $role }).
cli-no-passwordless = questo portale non permette l'accesso con un codice via email; accedi con la password (senza --code)
cli-no-code-sent = nessun codice inviato: { $reason }
cli-no-reason = nessun motivo indicato
cli-code-on-its-way = Un codice di accesso è in arrivo a { $email }, se appartiene a un cliente registrato di questo portale (lo staff accede con la password). Vale 15 minuti.
cli-tickets =
    { $count ->
        [one] { $count } ticket
       *[other] { $count } ticket
    }
cli-writes-unsent =
    { $count ->
        [one] { $count } modifica non ancora inviata (*)
       *[other] { $count } modifiche non ancora inviate (*)
    }
cli-sync-rebuilt = Cache ricostruita da un'istantanea: { $tickets }.
cli-sync-up-to-date = Tutto aggiornato ({ $tickets }).
cli-sync-changed =
    { $count ->
        [one] { $count } ticket nuovo o modificato: { $ids }
       *[other] { $count } ticket nuovi o modificati: { $ids }
    }
cli-sync-gone =
    { $count ->
        [one] { $count } ticket non più visibile: { $ids }
       *[other] { $count } ticket non più visibili: { $ids }
    }
cli-sync-entity-updated =
    { $count ->
        [one] { $entity }: { $count } modifica
       *[other] { $entity }: { $count } modifiche
    }
cli-sync-entity-removed =
    { $count ->
        [one] { $entity }: { $count } rimozione
       *[other] { $entity }: { $count } rimozioni
    }
cli-sync-entity-portal = Impostazioni del portale
cli-sync-entity-domains = Domini
cli-sync-entity-inbox = Caselle
cli-sync-entity-rule = Regole di smistamento
cli-sync-entity-user = Operatori
cli-sync-entity-contact = Contatti
cli-sync-entity-company = Aziende
cli-sync-entity-saved_reply = Risposte salvate
cli-sync-writes = Modifiche inviate: { $applied } applicate, { $conflicted } in conflitto, { $rejected } rifiutate.
cli-column-id = ID
cli-column-status = STATO
cli-column-priority = PRIORITÀ
cli-column-subject = OGGETTO
cli-column-requester = RICHIEDENTE
cli-column-owner = ASSEGNATARIO
cli-column-updated = AGGIORNATO
cli-portal-name = nome:
cli-portal-url = url:
cli-portal-language = lingua:
cli-portal-access = accesso:

## Idempotency-Key answers (a replay's refusal reads in the language of the replaying request)
error-idempotency-key-invalid = Idempotency-Key deve avere da 1 a 200 caratteri ASCII visibili
error-idempotency-key-reused = questa Idempotency-Key è già stata usata per un'altra richiesta
error-idempotency-in-progress = una richiesta con questa Idempotency-Key è ancora in corso
