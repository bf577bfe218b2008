# Strony Tessery, polski.

## Wszystkie strony
page-title = { $title } · { $product }

## Logowanie
login-title = Zaloguj się
login-lead = aby przejść do { $app }
login-username = Nazwa użytkownika
login-password = Hasło
login-show-password = Pokaż hasło
login-submit = Zaloguj się
login-not-you = To nie Ty? Użyj innego konta
signin-error-failed = Nazwa użytkownika lub hasło są nieprawidłowe. Sprawdź je i spróbuj ponownie.
signin-error-throttled = Zbyt wiele nieudanych prób logowania. Spróbuj ponownie za { $seconds ->
        [one] 1 sekundę
        [few] { $seconds } sekundy
        [many] { $seconds } sekund
       *[other] { $seconds } sekundy
    }.
signin-error-throttled-minutes = Zbyt wiele nieudanych prób logowania. Spróbuj ponownie za { $minutes ->
        [one] 1 minutę
        [few] { $minutes } minuty
        [many] { $minutes } minut
       *[other] { $minutes } minuty
    }.
signin-error-disabled = To konto jest wyłączone. Poproś administratora { $product } o jego ponowne włączenie.

## Zgoda
consent-title = Zezwolić na dostęp?
consent-lead = { $app } chce:
consent-signed-in-as = Zalogowano jako { $user }.
consent-not-you = To nie Ty? Użyj innego konta
consent-allow = Zezwól
consent-deny = Odmów
consent-raw-scopes = O co dokładnie poprosiła aplikacja (dla programistów)
consent-change-later = Możesz później zmienić tę decyzję na stronie swojego konta.
consent-app-site = O aplikacji { $app }
consent-policy = Polityka prywatności
consent-terms = Warunki korzystania
consent-logo = Logo aplikacji { $app }
scope-openid = Wiedzieć, kim jesteś (stały identyfikator, ten sam przy każdym logowaniu)
scope-profile = Widzieć Twoje imię i nazwisko, nazwę użytkownika i inne dane profilu
scope-email = Widzieć Twój adres e-mail
scope-address = Widzieć Twój adres pocztowy
scope-phone = Widzieć Twój numer telefonu
scope-offline_access = Zachować dostęp do Twojego konta po wylogowaniu się tutaj
scope-groups = Widzieć nazwy grup, do których należysz
scope-api = Korzystać z innych usług w Twoim imieniu ({ $count ->
        [one] jedno uprawnienie
        [few] { $count } uprawnienia
        [many] { $count } uprawnień
       *[other] { $count } uprawnienia
    })

## Strona błędu
error-title-refused = Nie można dokończyć tego logowania
error-what-refused = Aplikacja, która Cię tu skierowała, wysłała żądanie, którego ten serwer nie może przyjąć. To nie Twój błąd.
error-title-expired = Ta strona wygasła
error-what-expired = Logowanie trwało zbyt długo albo zostało już dokończone w innej karcie.
error-title-server = Coś poszło nie tak po naszej stronie
error-what-server = Serwer nie mógł obsłużyć Twojego żądania.
error-title-unavailable = Usługa chwilowo niedostępna
error-what-unavailable = Usługa nie może teraz odpowiedzieć.
error-todo = Co możesz zrobić
error-todo-back = Wróć do aplikacji i zacznij od nowa.
error-todo-retry = Odczekaj chwilę i spróbuj ponownie.
error-todo-contact = Jeśli to się powtarza, przekaż administratorowi poniższy identyfikator błędu.
error-id = Identyfikator błędu
error-details = Szczegóły techniczne (dla twórców aplikacji)
error-code = Kod błędu
error-description = Opis

## Wylogowanie
logout-title = Wylogować się?
logout-asks = { $app } prosi o wylogowanie Cię z { $product }.
logout-about = Za chwilę wylogujesz się z { $product }.
logout-signed-in-as = Zalogowano jako { $user }. Aplikacje, do których logowałeś się przez { $product }, zostaną o tym powiadomione.
logout-submit = Wyloguj się
logged-out-title = Wylogowano
logged-out-lead = Możesz już zamknąć tę stronę.
logged-out-back = Wróć do { $app }

## Powrót do aplikacji (form post)
form-post-title = Powrót do aplikacji
form-post-heading = Powrót do aplikacji…
form-post-noscript = JavaScript jest wyłączony: kontynuuj ręcznie.
form-post-continue = Dalej

## Strona główna (GET /)
landing-lead = { $product } to usługa logowania tej witryny: aplikacje kierują Cię tutaj, żebyś się zalogował, a potem wracasz do nich już zalogowany.
landing-account = Zarządzaj kontem
landing-fresh-title = Następne kroki dla administratora
landing-fresh-body = Nie zarejestrowano jeszcze żadnej aplikacji. Na serwerze dodaj użytkownika i aplikację tymi poleceniami, a potem postępuj zgodnie z instrukcją krok po kroku z README:
landing-health = Serwer działa.

# Second factor (TOTP or a recovery code) after the password.
otp-title = Weryfikacja dwuetapowa
otp-lead = Wpisz 6-cyfrowy kod z aplikacji uwierzytelniającej, aby przejść do { $app }.
otp-code = Kod
otp-hint = Zgubione urządzenie? Wpisz zamiast tego jeden z kodów odzyskiwania.
otp-submit = Zweryfikuj
signin-error-wrong-code = Ten kod jest nieprawidłowy lub został już użyty. Poczekaj na następny kod w aplikacji i spróbuj ponownie.
signin-error-second-factor-missing = To logowanie wymaga drugiego składnika (aplikacji uwierzytelniającej), a Twoje konto go nie ma. Poproś administratora { $product } o jego skonfigurowanie.

# Invitation links (tessera user invite): set the first password.
invite-title = Skonfiguruj konto
invite-lead = Witaj, { $username }. Wybierz hasło do konta { $product }; zalogujesz się, gdy tylko je ustawisz.
invite-password = Nowe hasło
invite-password-hint = Co najmniej 8 znaków; kilka niepowiązanych słów tworzy silne hasło.
invite-confirm = Powtórz hasło
invite-submit = Ustaw hasło i zaloguj się
invite-error-mismatch = Hasła się różnią. Wpisz dwa razy to samo hasło.
invite-error-weak = To hasło jest za krótkie lub zbyt łatwe do odgadnięcia. Wybierz dłuższe, na przykład kilka niepowiązanych słów.
invite-gone = Ten link z zaproszeniem wygasł lub został już użyty. Poproś administratora o nowy.

# The account page (/account).
account-title = Twoje konto
account-signed-out = Nie jesteś zalogowany. Zaloguj się, aby zarządzać kontem.
account-profile = Profil
account-username = Nazwa użytkownika
account-name = Imię i nazwisko
account-email = E-mail
account-picture = Zdjęcie (adres https)
account-profile-save = Zapisz profil
account-second-factor = Weryfikacja dwuetapowa
account-totp-on = Aplikacja uwierzytelniająca jest skonfigurowana. Pozostałe kody odzyskiwania: { $count }.
account-totp-off = Nieskonfigurowana. Z aplikacją uwierzytelniającą skradzione hasło nie wystarczy do zalogowania.
account-totp-add = Skonfiguruj aplikację uwierzytelniającą
account-totp-remove = Usuń aplikację uwierzytelniającą
account-recovery-regenerate = Utwórz nowe kody odzyskiwania
account-sessions = Gdzie jesteś zalogowany
account-session-line = Zalogowano { $started }, ostatnio widziano { $seen }, aplikacje: { $apps }
account-session-current = Ta przeglądarka
account-session-end = Wyloguj
account-sessions-end-all = Wyloguj wszędzie
account-session-device = { $browser } w systemie { $os }
account-session-client = { $device } · adres { $address }
account-session-unknown = nieznane
account-reauth = Twoje hasło (aby potwierdzić, że to Ty)
account-error-password = Hasło jest nieprawidłowe.
account-error-code = Ten kod jest nieprawidłowy. Sprawdź czas na urządzeniu i wpisz kod, który aplikacja pokazuje teraz.
account-back = Wróć do konta
totp-setup-title = Skonfiguruj aplikację uwierzytelniającą
totp-setup-lead = Zeskanuj ten kod QR aplikacją uwierzytelniającą lub wpisz do niej klucz, a potem podaj 6-cyfrowy kod, który pokazuje.
totp-setup-qr = Kod QR dla aplikacji uwierzytelniającej
totp-setup-key = Klucz
totp-setup-submit = Włącz
recovery-title = Twoje kody odzyskiwania
recovery-lead = Przechowuj te kody w bezpiecznym miejscu: każdy działa raz, zamiast kodu z aplikacji. Są pokazywane tylko teraz.
account-apps = Połączone aplikacje
account-apps-none = Żadna aplikacja nie ma dostępu do Twojego konta.
account-app-line = { $app }: dozwolone { $scope }; aktywne logowania: { $grants }
account-app-revoke = Cofnij dostęp
account-password = Hasło
account-password-current = Obecne hasło
account-password-submit = Zmień hasło
account-sign-in-code-hint = Tylko jeśli skonfigurowano weryfikację dwuetapową: kod z aplikacji lub kod odzyskiwania.

# Issue 12: a client restricted to groups (--allowed-groups)
no-access-title = Nie masz dostępu do tej aplikacji
no-access-lead = Twoje konto { $user } nie ma uprawnień do korzystania z { $app }.
no-access-todo = Jeśli uważasz, że powinieneś mieć dostęp, poproś administratora o dodanie Cię do właściwej grupy.
no-access-back = Wróć do { $app }

device-title = Połącz urządzenie
device-lead = Wpisz kod wyświetlany na urządzeniu (telewizorze, konsoli, narzędziu wiersza poleceń), aby połączyć je z kontem.
device-lead-confirm = Sprawdź, czy to ten sam kod, który wyświetla urządzenie, i kontynuuj.
device-code = Kod
device-code-hint = Osiem liter, tak jak na urządzeniu; myślnik oraz wielkość liter nie mają znaczenia.
device-submit = Dalej
device-error-unknown = Ten kod jest nieprawidłowy. Mógł wygasnąć lub zostać już użyty; sprawdź urządzenie i spróbuj ponownie.
device-error-throttled = Zbyt wiele błędnych kodów z tej sieci. Odczekaj kilka minut i spróbuj ponownie.
device-approved-title = Urządzenie połączone
device-approved-lead = Możesz zamknąć tę stronę i wrócić do urządzenia; będzie kontynuować samo.
device-denied-title = Urządzenie nie zostało połączone
device-denied-lead = Urządzenie nie otrzyma dostępu. Możesz zamknąć tę stronę.

## Passkeys (issue 11)
passkey-or = lub
passkey-sign-in = Zaloguj się kluczem dostępu
passkey-verify = Użyj klucza dostępu
signin-error-passkey = Klucz dostępu nie został zaakceptowany. Spróbuj ponownie lub użyj hasła.
account-passkeys = Klucze dostępu
account-passkeys-none = Brak kluczy dostępu. Klucz dostępu pozwala zalogować się blokadą ekranu urządzenia, bez hasła.
account-passkey-name = Nazwa
account-passkey-rename = Zmień nazwę
account-passkey-remove = Usuń
account-passkey-add = Dodaj klucz dostępu
account-passkey-line = dodany { $created }, ostatnio użyty { $used }
account-passkey-line-synced = dodany { $created }, ostatnio użyty { $used }, synchronizowany między urządzeniami
account-error-passkey = Klucz dostępu nie został dodany. Spróbuj ponownie.
account-error-last-credential = To jedyny sposób logowania (brak hasła i innych kluczy dostępu), więc zostaje. Najpierw dodaj inny klucz dostępu lub ustaw hasło.
account-error-profile = Tej nazwy lub adresu zdjęcia nie można użyć: zdjęcie musi mieć adres http lub https.
invite-passkey = Zamiast tego użyj klucza dostępu i zaloguj się
account-reauth-passkey = Potwierdź tożsamość kluczem dostępu
passkey-lead = Potwierdź kluczem dostępu, aby przejść do { $app }.

## The admin pages (/admin)
admin-title = Administracja
admin-nav-users = Użytkownicy
admin-nav-groups = Grupy
admin-nav-clients = Aplikacje
admin-nav-keys = Klucze podpisujące
admin-nav-audit = Dziennik audytu
admin-signed-in-as = Zalogowano jako { $user }
admin-sign-out = Wyloguj
admin-denied-title = Brak dostępu do administracji
admin-denied-lead = { $user } nie należy do grupy admins. Administrator może Cię dodać tym poleceniem:
admin-denied-sign-out = Zaloguj się jako ktoś inny
admin-restart-title = Logowanie nie zostało ukończone
admin-restart-lead = Logowanie trwało zbyt długo albo zostało rozpoczęte w innej przeglądarce. Zacznij od nowa.
admin-restart-button = Zaloguj się ponownie
admin-error-title = To się nie udało
admin-back = Wstecz
admin-never = Nigdy
admin-users-title = Użytkownicy
admin-users-search = Szukaj
admin-users-search-label = Nazwa użytkownika, e-mail lub imię
admin-users-none = Żaden użytkownik nie pasuje.
admin-field-username = Nazwa użytkownika
admin-field-email = E-mail
admin-field-name = Imię i nazwisko
admin-col-status = Stan
admin-col-last-login = Ostatnie logowanie
admin-status-active = Aktywny
admin-status-disabled = Wyłączony
admin-users-create = Utwórz użytkownika
admin-users-create-help = Użytkownik sam ustawia hasło przez link z zaproszeniem, tworzony na jego stronie i pokazywany tylko raz.
admin-create = Utwórz
admin-user-disable = Wyłącz
admin-user-enable = Włącz
admin-user-invite = Utwórz link z zaproszeniem
admin-user-invite-shown = Link z zaproszeniem (widoczny tylko teraz; działa raz):
admin-user-sessions-end = Zakończ wszystkie sesje
admin-user-no-groups = Nie należy do żadnej grupy.
admin-user-add-group = Dodaj do grupy
admin-add = Dodaj
admin-remove = Usuń
admin-groups-title = Grupy
admin-groups-create = Utwórz grupę
admin-field-group-name = Nazwa
admin-field-description = Opis
admin-group-members = Członkowie
admin-group-no-members = Brak członków.
admin-group-add-member = Dodaj członka (nazwa użytkownika)
admin-clients-title = Aplikacje
admin-client-new-title = Zarejestruj aplikację
admin-field-client-id = Identyfikator klienta
admin-field-client-id-help = Krótka nazwa, którą aplikacja wysyła jako client_id: litery, cyfry, kropki, - i _.
admin-field-client-name = Nazwa wyświetlana
admin-field-client-name-help = Pokazywana na stronach logowania i zgody.
admin-field-client-type = Typ
admin-field-client-type-help = Poufna: aplikacja serwerowa, która potrafi chronić sekret. Publiczna: aplikacja jednostronicowa lub mobilna, która tego nie potrafi; zawsze używa PKCE.
admin-type-confidential = Poufna (po stronie serwera)
admin-type-public = Publiczna (przeglądarka lub urządzenie mobilne)
admin-field-redirect-uris = Adresy URI przekierowania
admin-field-redirect-uris-help = Jeden w wierszu. Tessera odsyła przeglądarkę tylko do nich, porównując dokładnie (https albo http na localhost).
admin-field-scope = Dodatkowe zakresy
admin-field-scope-help = Zakresy API poza openid, profile i email, rozdzielone spacjami; w razie wątpliwości zostaw puste.
admin-field-skip-consent = Własna aplikacja: nie pytaj o zgodę
admin-client-secret-shown = Sekret klienta (widoczny tylko teraz; Tessera przechowuje tylko jego skrót):
admin-client-issuer = Wystawca
admin-client-endpoints = Punkty końcowe
admin-client-snippet = Konfiguracja dla biblioteki OpenID Connect
admin-client-snippet-help = Większość bibliotek potrzebuje tylko wystawcy: punkty końcowe odczytują z jego dokumentu discovery.
admin-doctor-title = Doktor integracji
admin-doctor-lead = Ostatnie nieudane żądania aplikacji, każde wyjaśnione wraz z poprawką.
admin-doctor-none = Ostatnio brak nieudanych żądań.
admin-doctor-fix = Poprawka:
admin-keys-title = Klucze podpisujące
admin-col-kid = Identyfikator klucza
admin-col-state = Stan
admin-col-created = Utworzono
admin-col-age = Wiek
admin-keys-rotate = Wymień teraz
admin-keys-rotate-help = Następny klucz staje się bieżącym; tokeny podpisane starym pozostają ważne do wygaśnięcia.
admin-age-days = { $days ->
        [one] 1 dzień
       *[other] { $days } dni
    }
admin-audit-title = Dziennik audytu
admin-audit-filter = Filtruj
admin-field-since = Od (UTC)
admin-field-until = Do (UTC)
admin-field-user = Użytkownik (subject)
admin-field-client = Aplikacja (identyfikator klienta)
admin-field-event = Typ zdarzenia
admin-col-time = Czas
admin-col-actor = Wykonawca
admin-col-detail = Szczegóły
admin-audit-none = Żadne zdarzenie nie pasuje.
admin-audit-older = Starsze zdarzenia
admin-confirm-title = Czy na pewno?
admin-cancel = Anuluj
admin-confirm-user-delete = Usunąć użytkownika { $name }? Jego sesje się kończą, aplikacje, do których się zalogował, tracą uprawnienia, a konta nie da się przywrócić.
admin-confirm-user-mfa-reset = Usunąć wszystkie drugie składniki i klucze dostępu użytkownika { $name }? Zrób to dopiero po sprawdzeniu innym kanałem, kto o to prosi: dopóki nie doda ich ponownie, do logowania wystarczy samo hasło.
admin-confirm-client-delete = Usunąć klienta { $name }? Wszystko, co mu wydano, natychmiast przestaje działać, a aplikacja nie może już nikogo zalogować.
admin-confirm-key-revoke = Unieważnić klucz podpisujący { $name }? Natychmiast znika z opublikowanych kluczy, a żadnego tokenu nim podpisanego nie da się już zweryfikować.
admin-confirm-group-delete = Usunąć grupę { $name }? Jej członkowie z niej wychodzą, a aplikacje, które otrzymują ją w tokenach, przestają ją widzieć.
admin-confirm-admins-warning = admins to grupa administratorów: jej usunięcie odbiera strony administracyjne wszystkim, także Tobie, dopóki ktoś nie uruchomi `tessera group add admins` i nie doda ponownie członków.
admin-user-delete = Usuń użytkownika
admin-user-mfa-reset = Zresetuj drugie składniki
admin-user-sessions = Sesje
admin-user-no-sessions = Żadna sesja nie jest otwarta.
admin-col-signed-in = Zalogowano
admin-col-last-seen = Ostatnia aktywność
admin-col-clients = Aplikacje
admin-col-device = Urządzenie
admin-session-end = Zakończ tę sesję
admin-client-edit = Edytuj
admin-client-edit-title = Edytuj klienta
admin-save = Zapisz
admin-client-delete = Usuń klienta
admin-client-rotate = Odnów sekret
admin-client-rotate-help = Nowy sekret zostanie pokazany raz, na następnej stronie. Stary działa dalej przez wybrany okres nakładania, aby aplikację można było wdrożyć ponownie bez przerwy.
admin-field-overlap = Stary sekret działa jeszcze przez
admin-overlap-none = Wcale: przestaje działać teraz
admin-overlap-hour = 1 godzinę
admin-overlap-day = 1 dzień
admin-overlap-week = 7 dni
admin-client-secret-overlap = Stary sekret działa jeszcze do { $until }.
admin-key-revoke = Unieważnij
admin-group-delete = Usuń grupę
admin-stale = Ktoś zmienił te dane, odkąd otwarto formularz, więc nic nie zostało zapisane. Otwórz go ponownie, aby zobaczyć aktualne wartości, a potem wprowadź swoją zmianę.
