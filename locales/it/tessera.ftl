# Pagine di Tessera, italiano.

## Tutte le pagine
page-title = { $title } · { $product }

## Accesso
login-title = Accedi
login-lead = per continuare su { $app }
login-username = Nome utente
login-password = Password
login-show-password = Mostra password
login-submit = Accedi
login-not-you = Non sei tu? Usa un altro account
signin-error-failed = Il nome utente o la password non sono corretti. Controllali e riprova.
signin-error-throttled = Troppi tentativi di accesso non riusciti. Riprova tra { $seconds ->
        [one] 1 secondo
       *[other] { $seconds } secondi
    }.
signin-error-throttled-minutes = Troppi tentativi di accesso non riusciti. Riprova tra { $minutes ->
        [one] 1 minuto
       *[other] { $minutes } minuti
    }.
signin-error-disabled = Questo account è disattivato. Chiedi all’amministratore di { $product } di riattivarlo.

## Consenso
consent-title = Consentire l’accesso?
consent-lead = { $app } vorrebbe:
consent-signed-in-as = Accesso effettuato come { $user }.
consent-not-you = Non sei tu? Usa un altro account
consent-allow = Consenti
consent-deny = Rifiuta
consent-raw-scopes = Cosa ha chiesto l’applicazione, alla lettera (per gli sviluppatori)
consent-change-later = Potrai cambiare questa scelta in seguito nella pagina del tuo account.
consent-app-site = Informazioni su { $app }
consent-policy = Informativa sulla privacy
consent-terms = Termini di servizio
consent-logo = Logo di { $app }
scope-openid = Sapere chi sei (un identificativo stabile, lo stesso a ogni accesso)
scope-profile = Vedere il tuo nome, il nome utente e gli altri dati del profilo
scope-email = Vedere il tuo indirizzo email
scope-address = Vedere il tuo indirizzo postale
scope-phone = Vedere il tuo numero di telefono
scope-offline_access = Restare collegata al tuo account anche dopo che esci da qui
scope-groups = Vedere i nomi dei gruppi di cui fai parte
scope-api = Usare altri servizi per tuo conto ({ $count ->
        [one] un’autorizzazione
       *[other] { $count } autorizzazioni
    })

## Pagina di errore
error-title-refused = Questa richiesta di accesso non può essere completata
error-what-refused = L’applicazione che ti ha mandato qui ha fatto una richiesta che questo server non può accettare. Non hai sbagliato niente.
error-title-expired = Questa pagina è scaduta
error-what-expired = L’accesso ha richiesto troppo tempo, oppure è già stato completato in un’altra scheda.
error-title-server = Qualcosa è andato storto da parte nostra
error-what-server = Il server non è riuscito a completare la tua richiesta.
error-title-unavailable = Temporaneamente non disponibile
error-what-unavailable = Il servizio non può rispondere in questo momento.
error-todo = Cosa puoi fare
error-todo-back = Torna all’applicazione e ricomincia.
error-todo-retry = Aspetta un momento, poi riprova.
error-todo-contact = Se continua a succedere, comunica all’amministratore il codice di errore qui sotto.
error-id = Codice di errore
error-details = Dettagli tecnici (per chi sviluppa l’applicazione)
error-code = Tipo di errore
error-description = Descrizione

## Uscita
logout-title = Uscire?
logout-asks = { $app } chiede di farti uscire da { $product }.
logout-about = Stai per uscire da { $product }.
logout-signed-in-as = Accesso effettuato come { $user }. Le applicazioni a cui hai effettuato l’accesso tramite { $product } verranno avvisate.
logout-submit = Esci
logged-out-title = Sei uscito
logged-out-lead = Ora puoi chiudere questa pagina.
logged-out-back = Torna a { $app }

## Ritorno all’applicazione (form post)
form-post-title = Ritorno all’applicazione
form-post-heading = Ritorno all’applicazione…
form-post-noscript = JavaScript è disattivato: prosegui manualmente.
form-post-continue = Continua

## Pagina iniziale (GET /)
landing-lead = { $product } è il servizio di accesso di questo sito: le applicazioni ti mandano qui per accedere e poi torni da loro con l’accesso già effettuato.
landing-account = Gestisci il tuo account
landing-fresh-title = Prossimi passi per l’amministratore
landing-fresh-body = Non è ancora registrata nessuna applicazione. Sul server, aggiungi un utente e un’applicazione con questi comandi, poi segui la guida passo passo del README:
landing-health = Il server è in funzione.

# Second factor (TOTP or a recovery code) after the password.
otp-title = Verifica in due passaggi
otp-lead = Inserisci il codice a 6 cifre della tua app di autenticazione per continuare su { $app }.
otp-code = Codice
otp-hint = Hai perso il dispositivo? Inserisci invece uno dei tuoi codici di recupero.
otp-submit = Verifica
signin-error-wrong-code = Questo codice non è corretto o è già stato usato. Attendi il codice successivo nell’app e riprova.
signin-error-second-factor-missing = Questo accesso richiede un secondo fattore (un’app di autenticazione) e il tuo account non ne ha. Chiedi all’amministratore di { $product } di configurarne uno.

# Invitation links (tessera user invite): set the first password.
invite-title = Configura il tuo account
invite-lead = Benvenuto, { $username }. Scegli una password per il tuo account { $product }; accederai non appena sarà impostata.
invite-password = Nuova password
invite-password-hint = Almeno 8 caratteri; alcune parole senza relazione tra loro formano una password robusta.
invite-confirm = Ripeti la password
invite-submit = Imposta la password e accedi
invite-error-mismatch = Le due password sono diverse. Digita due volte la stessa password.
invite-error-weak = Questa password è troppo corta o troppo facile da indovinare. Scegline una più lunga, ad esempio alcune parole senza relazione.
invite-gone = Questo link di invito è scaduto o è già stato usato. Chiedine uno nuovo all’amministratore.

# The account page (/account).
account-title = Il tuo account
account-signed-out = Non hai effettuato l’accesso. Accedi per gestire il tuo account.
account-profile = Profilo
account-username = Nome utente
account-name = Nome
account-email = Email
account-picture = Immagine (un indirizzo https)
account-profile-save = Salva il profilo
account-second-factor = Verifica in due passaggi
account-totp-on = È configurata un’app di autenticazione. Codici di recupero rimasti: { $count }.
account-totp-off = Non configurata. Con un’app di autenticazione, una password rubata non basta per accedere.
account-totp-add = Configura un’app di autenticazione
account-totp-remove = Rimuovi l’app di autenticazione
account-recovery-regenerate = Crea nuovi codici di recupero
account-sessions = Dove hai effettuato l’accesso
account-session-line = Accesso il { $started }, visto il { $seen }, applicazioni: { $apps }
account-session-current = Questo browser
account-session-end = Esci
account-sessions-end-all = Esci ovunque
account-session-device = { $browser } su { $os }
account-session-client = { $device } · indirizzo { $address }
account-session-unknown = sconosciuto
account-reauth = La tua password (per confermare che sei tu)
account-error-password = La password non è corretta.
account-error-code = Questo codice non è corretto. Controlla l’ora del dispositivo e inserisci il codice mostrato ora.
account-back = Torna al tuo account
totp-setup-title = Configura un’app di autenticazione
totp-setup-lead = Scansiona questo codice QR con la tua app di autenticazione, o inserisci la chiave, poi digita il codice a 6 cifre che mostra.
totp-setup-qr = Codice QR per la tua app di autenticazione
totp-setup-key = Chiave
totp-setup-submit = Attiva
recovery-title = I tuoi codici di recupero
recovery-lead = Conserva questi codici in un luogo sicuro: ognuno funziona una volta, al posto di un codice dell’app. Vengono mostrati solo ora.
account-apps = Applicazioni collegate
account-apps-none = Nessuna applicazione ha accesso al tuo account.
account-app-line = { $app }: consentito { $scope }; accessi attivi: { $grants }
account-app-revoke = Revoca l’accesso
account-password = Password
account-password-current = Password attuale
account-password-submit = Cambia password
account-sign-in-code-hint = Solo se hai configurato la verifica in due passaggi: il codice della tua app o un codice di recupero.

# Issue 12: a client restricted to groups (--allowed-groups)
no-access-title = Non hai accesso a questa applicazione
no-access-lead = Il tuo account { $user } non è autorizzato a usare { $app }.
no-access-todo = Se pensi di dover avere accesso, chiedi al tuo amministratore di aggiungerti al gruppo giusto.
no-access-back = Torna a { $app }

device-title = Collega un dispositivo
device-lead = Inserisci il codice mostrato dal tuo dispositivo (un televisore, una console, uno strumento a riga di comando) per collegarlo al tuo account.
device-lead-confirm = Verifica che questo sia il codice mostrato dal tuo dispositivo, poi continua.
device-code = Codice
device-code-hint = Otto lettere, come mostrate sul dispositivo; il trattino e maiuscole o minuscole non contano.
device-submit = Continua
device-error-unknown = Questo codice non è valido. Potrebbe essere scaduto o già stato usato; controlla il dispositivo e riprova.
device-error-throttled = Troppi codici errati da questa rete. Attendi qualche minuto e riprova.
device-approved-title = Dispositivo collegato
device-approved-lead = Puoi chiudere questa pagina e tornare al tuo dispositivo; proseguirà da solo.
device-denied-title = Dispositivo non collegato
device-denied-lead = Il dispositivo non ottiene l’accesso. Puoi chiudere questa pagina.

## Passkeys (issue 11)
passkey-or = oppure
passkey-sign-in = Accedi con una passkey
passkey-verify = Usa una passkey
signin-error-passkey = La passkey non è stata accettata. Riprova o usa la password.
account-passkeys = Passkey
account-passkeys-none = Ancora nessuna passkey. Una passkey ti fa accedere con il blocco schermo del dispositivo, senza password.
account-passkey-name = Nome
account-passkey-rename = Rinomina
account-passkey-remove = Rimuovi
account-passkey-add = Aggiungi una passkey
account-passkey-line = aggiunta { $created }, ultimo uso { $used }
account-passkey-line-synced = aggiunta { $created }, ultimo uso { $used }, sincronizzata tra dispositivi
account-error-passkey = La passkey non è stata aggiunta. Riprova.
account-error-last-credential = È il tuo unico modo per accedere (nessuna password né altra passkey), quindi resta. Aggiungi prima un'altra passkey o imposta una password.
account-error-profile = Quel nome o quell’indirizzo dell’immagine non si può usare: l’immagine deve essere un indirizzo http o https.
invite-passkey = Usa invece una passkey e accedi
account-reauth-passkey = Conferma la tua identità con una passkey
passkey-lead = Conferma con la tua passkey per continuare su { $app }.

## The admin pages (/admin)
admin-title = Amministrazione
admin-nav-users = Utenti
admin-nav-groups = Gruppi
admin-nav-clients = Applicazioni
admin-nav-keys = Chiavi di firma
admin-nav-audit = Registro di audit
admin-signed-in-as = Accesso come { $user }
admin-sign-out = Esci
admin-denied-title = Nessun accesso all’amministrazione
admin-denied-lead = { $user } non è membro del gruppo admins. Un amministratore può aggiungerti con questo comando:
admin-denied-sign-out = Accedi con un altro account
admin-restart-title = L’accesso non è stato completato
admin-restart-lead = L’accesso ha richiesto troppo tempo o è stato avviato in un altro browser. Ricomincia.
admin-restart-button = Accedi di nuovo
admin-error-title = Non ha funzionato
admin-back = Indietro
admin-never = Mai
admin-users-title = Utenti
admin-users-search = Cerca
admin-users-search-label = Nome utente, email o nome
admin-users-none = Nessun utente corrisponde.
admin-field-username = Nome utente
admin-field-email = Email
admin-field-name = Nome
admin-col-status = Stato
admin-col-last-login = Ultimo accesso
admin-status-active = Attivo
admin-status-disabled = Disattivato
admin-users-create = Crea un utente
admin-users-create-help = L’utente sceglie la propria password tramite un link di invito, creato nella sua pagina e mostrato una sola volta.
admin-create = Crea
admin-user-disable = Disattiva
admin-user-enable = Attiva
admin-user-invite = Crea un link di invito
admin-user-invite-shown = Link di invito (mostrato solo ora; funziona una volta):
admin-user-sessions-end = Termina tutte le sessioni
admin-user-no-groups = Non appartiene ad alcun gruppo.
admin-user-add-group = Aggiungi al gruppo
admin-add = Aggiungi
admin-remove = Rimuovi
admin-groups-title = Gruppi
admin-groups-create = Crea un gruppo
admin-field-group-name = Nome
admin-field-description = Descrizione
admin-group-members = Membri
admin-group-no-members = Ancora nessun membro.
admin-group-add-member = Aggiungi un membro (nome utente)
admin-clients-title = Applicazioni
admin-client-new-title = Registra un’applicazione
admin-field-client-id = ID client
admin-field-client-id-help = Un nome breve che l’applicazione invia come client_id: lettere, cifre, punti, - e _.
admin-field-client-name = Nome visualizzato
admin-field-client-name-help = Mostrato nelle pagine di accesso e di consenso.
admin-field-client-type = Tipo
admin-field-client-type-help = Riservata: un’applicazione lato server che può custodire un segreto. Pubblica: un’applicazione a pagina singola o mobile, che non può; usa sempre PKCE.
admin-type-confidential = Riservata (lato server)
admin-type-public = Pubblica (browser o mobile)
admin-field-redirect-uris = URI di reindirizzamento
admin-field-redirect-uris-help = Uno per riga. Tessera rimanda il browser solo a questi, confrontati esattamente (https, o http su localhost).
admin-field-scope = Scope aggiuntivi
admin-field-scope-help = Scope di API oltre a openid, profile ed email, separati da spazi; lascia vuoto se non sei sicuro.
admin-field-skip-consent = Applicazione interna: non chiedere il consenso
admin-client-secret-shown = Segreto client (mostrato solo ora; Tessera ne conserva solo l’hash):
admin-client-issuer = Emittente
admin-client-endpoints = Endpoint
admin-client-snippet = Configurazione per una libreria OpenID Connect
admin-client-snippet-help = La maggior parte delle librerie ha bisogno solo dell’emittente: legge gli endpoint dal suo documento di discovery.
admin-doctor-title = Dottore dell’integrazione
admin-doctor-lead = Le richieste fallite recenti dell’applicazione, ciascuna spiegata con la soluzione.
admin-doctor-none = Nessuna richiesta fallita di recente.
admin-doctor-fix = Soluzione:
admin-keys-title = Chiavi di firma
admin-col-kid = ID chiave
admin-col-state = Stato
admin-col-created = Creata
admin-col-age = Età
admin-keys-rotate = Ruota ora
admin-keys-rotate-help = La chiave successiva diventa quella corrente; i token firmati con la precedente restano validi fino alla scadenza.
admin-age-days = { $days ->
        [one] 1 giorno
       *[other] { $days } giorni
    }
admin-audit-title = Registro di audit
admin-audit-filter = Filtra
admin-field-since = Da (UTC)
admin-field-until = A (UTC)
admin-field-user = Utente (subject)
admin-field-client = Applicazione (ID client)
admin-field-event = Tipo di evento
admin-col-time = Ora
admin-col-actor = Attore
admin-col-detail = Dettaglio
admin-audit-none = Nessun evento corrisponde.
admin-audit-older = Eventi precedenti
admin-confirm-title = Sei sicuro?
admin-cancel = Annulla
admin-confirm-user-delete = Eliminare l’utente { $name }? Le sue sessioni terminano, le applicazioni a cui ha effettuato l’accesso perdono le autorizzazioni e l’account non si può ripristinare.
admin-confirm-user-mfa-reset = Rimuovere tutti i secondi fattori e le passkey di { $name }? Fallo solo dopo aver verificato per altra via chi lo chiede: finché non li registra di nuovo, basta la password per accedere.
admin-confirm-client-delete = Eliminare il client { $name }? Tutto ciò che gli è stato rilasciato smette subito di funzionare e l’applicazione non può più far accedere nessuno.
admin-confirm-key-revoke = Revocare la chiave di firma { $name }? Esce subito dalle chiavi pubblicate e nessun token firmato con essa si può più verificare.
admin-confirm-group-delete = Eliminare il gruppo { $name }? I suoi membri ne escono e le applicazioni che lo ricevono nei token non lo vedono più.
admin-confirm-admins-warning = admins è il gruppo degli amministratori: eliminarlo toglie le pagine di amministrazione a tutti, te compreso, finché qualcuno non esegue `tessera group add admins` e non aggiunge di nuovo dei membri.
admin-user-delete = Elimina l’utente
admin-user-mfa-reset = Reimposta i secondi fattori
admin-user-sessions = Sessioni
admin-user-no-sessions = Nessuna sessione aperta.
admin-col-signed-in = Accesso
admin-col-last-seen = Ultima attività
admin-col-clients = Applicazioni
admin-col-device = Dispositivo
admin-session-end = Termina questa sessione
admin-client-edit = Modifica
admin-client-edit-title = Modifica il client
admin-save = Salva
admin-client-delete = Elimina il client
admin-client-rotate = Rinnova il segreto
admin-client-rotate-help = Il nuovo segreto viene mostrato una sola volta, nella pagina seguente. Il vecchio continua a funzionare per la sovrapposizione scelta, così l’applicazione si può ridistribuire senza interruzioni.
admin-field-overlap = Il vecchio segreto resta valido per
admin-overlap-none = Nessun tempo: smette ora
admin-overlap-hour = 1 ora
admin-overlap-day = 1 giorno
admin-overlap-week = 7 giorni
admin-client-secret-overlap = Il vecchio segreto funziona ancora fino al { $until }.
admin-key-revoke = Revoca
admin-group-delete = Elimina il gruppo
admin-stale = Qualcuno ha modificato questi dati da quando hai aperto il modulo, quindi non è stato salvato nulla. Riaprilo per vedere i valori attuali, poi apporta la tua modifica.
