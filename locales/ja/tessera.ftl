# Tessera のページ、日本語。

## すべてのページ
page-title = { $title } · { $product }

## サインイン
login-title = サインイン
login-lead = { $app } を続けるには
login-username = ユーザー名
login-password = パスワード
login-show-password = パスワードを表示
login-submit = サインイン
login-not-you = ご本人ではありませんか？ 別のアカウントを使う
signin-error-failed = ユーザー名またはパスワードが正しくありません。両方を確認して、もう一度お試しください。
signin-error-throttled = サインインの失敗が多すぎます。{ $seconds } 秒後にもう一度お試しください。
signin-error-throttled-minutes = サインインの失敗が多すぎます。{ $minutes } 分後にもう一度お試しください。
signin-error-disabled = このアカウントは無効になっています。{ $product } の管理者に有効化を依頼してください。

## 同意
consent-title = アクセスを許可しますか？
consent-lead = { $app } が次のことを求めています：
consent-signed-in-as = { $user } としてサインインしています。
consent-not-you = ご本人ではありませんか？ 別のアカウントを使う
consent-allow = 許可
consent-deny = 拒否
consent-raw-scopes = アプリケーションが要求した内容（そのままの形式、開発者向け）
consent-change-later = この選択は後でアカウントページから変更できます。
consent-app-site = { $app } について
consent-policy = プライバシーポリシー
consent-terms = 利用規約
consent-logo = { $app } のロゴ
scope-openid = あなたが誰かを知る（サインインのたびに同じ、変わらない識別子）
scope-profile = あなたの名前、ユーザー名、その他のプロフィール情報を見る
scope-email = あなたのメールアドレスを見る
scope-address = あなたの住所を見る
scope-phone = あなたの電話番号を見る
scope-offline_access = ここでサインアウトした後も、あなたのアカウントに接続し続ける
scope-groups = あなたが所属するグループの名前を見る
scope-api = あなたに代わって他のサービスを利用する（権限 { $count } 件）

## エラーページ
error-title-refused = このサインイン要求は完了できません
error-what-refused = ここへ案内したアプリケーションが、このサーバーでは受け付けられない要求を送りました。あなたの操作に問題があったわけではありません。
error-title-expired = このページの有効期限が切れました
error-what-expired = サインインに時間がかかりすぎたか、別のタブですでに完了しています。
error-title-server = こちら側で問題が発生しました
error-what-server = サーバーが要求を処理できませんでした。
error-title-unavailable = 一時的に利用できません
error-what-unavailable = 現在、サービスが応答できません。
error-todo = できること
error-todo-back = アプリケーションに戻って、最初からやり直してください。
error-todo-retry = しばらく待ってから、もう一度お試しください。
error-todo-contact = 何度も起こる場合は、下のエラー ID を管理者に伝えてください。
error-id = エラー ID
error-details = 技術的な詳細（アプリケーションの開発者向け）
error-code = エラーコード
error-description = 説明

## サインアウト
logout-title = サインアウトしますか？
logout-asks = { $app } が { $product } からのサインアウトを求めています。
logout-about = { $product } からサインアウトしようとしています。
logout-signed-in-as = { $user } としてサインインしています。{ $product } を通じてサインインしたアプリケーションにも通知されます。
logout-submit = サインアウト
logged-out-title = サインアウトしました
logged-out-lead = このページは閉じてかまいません。
logged-out-back = { $app } に戻る

## アプリケーションへ戻る（フォームポスト）
form-post-title = アプリケーションへ戻っています
form-post-heading = アプリケーションへ戻っています…
form-post-noscript = JavaScript が無効です。手動で続けてください。
form-post-continue = 続ける

## トップページ（GET /）
landing-lead = { $product } はこのサイトのサインインサービスです。アプリケーションからここに案内されてサインインし、サインインした状態でアプリケーションに戻ります。
landing-account = アカウントを管理
landing-fresh-title = 管理者が次に行うこと
landing-fresh-body = まだアプリケーションが登録されていません。サーバー上で次のコマンドを実行してユーザーとアプリケーションを追加し、README の手順に従ってください：
landing-health = サーバーは稼働中です。

# Second factor (TOTP or a recovery code) after the password.
otp-title = 2 段階認証
otp-lead = { $app } を続けるには、認証アプリに表示される 6 桁のコードを入力してください。
otp-code = コード
otp-hint = デバイスをなくしましたか？ 代わりにリカバリーコードのいずれかを入力してください。
otp-submit = 確認
signin-error-wrong-code = このコードは正しくないか、すでに使用されています。アプリの次のコードを待ってから、もう一度お試しください。
signin-error-second-factor-missing = このサインインには 2 つ目の要素（認証アプリ）が必要ですが、お使いのアカウントには設定されていません。{ $product } の管理者に設定を依頼してください。

# Invitation links (tessera user invite): set the first password.
invite-title = アカウントの設定
invite-lead = ようこそ、{ $username } さん。{ $product } アカウントのパスワードを設定してください。設定するとすぐにサインインします。
invite-password = 新しいパスワード
invite-password-hint = 8 文字以上。関連のない単語をいくつか組み合わせると強力になります。
invite-confirm = パスワードをもう一度入力
invite-submit = パスワードを設定してサインイン
invite-error-mismatch = 2 つのパスワードが一致しません。同じパスワードを 2 回入力してください。
invite-error-weak = このパスワードは短すぎるか、推測されやすすぎます。関連のない単語を組み合わせるなど、より長いものを選んでください。
invite-gone = この招待リンクは有効期限が切れているか、すでに使用されています。管理者に新しいリンクを依頼してください。

# The account page (/account).
account-title = アカウント
account-signed-out = サインインしていません。アカウントを管理するにはサインインしてください。
account-profile = プロフィール
account-username = ユーザー名
account-name = 名前
account-email = メールアドレス
account-second-factor = 2 段階認証
account-totp-on = 認証アプリが設定されています。残りのリカバリーコード: { $count }
account-totp-off = 未設定です。認証アプリを使うと、パスワードが盗まれてもそれだけではサインインできません。
account-totp-add = 認証アプリを設定
account-totp-remove = 認証アプリを削除
account-recovery-regenerate = 新しいリカバリーコードを作成
account-sessions = サインイン中の場所
account-session-line = { $started } にサインイン、最終確認 { $seen }、アプリケーション: { $apps }
account-session-current = このブラウザー
account-session-end = サインアウト
account-sessions-end-all = すべての場所からサインアウト
account-session-device = { $os } の { $browser }
account-session-client = { $device } · アドレス { $address }
account-session-unknown = 不明
account-reauth = パスワード（ご本人確認のため）
account-error-password = パスワードが正しくありません。
account-error-code = このコードは正しくありません。デバイスの時刻を確認し、アプリに今表示されているコードを入力してください。
account-back = アカウントに戻る
totp-setup-title = 認証アプリを設定
totp-setup-lead = 認証アプリでこの QR コードをスキャンするか、キーを入力してから、表示される 6 桁のコードを入力してください。
totp-setup-qr = 認証アプリ用の QR コード
totp-setup-key = キー
totp-setup-submit = 有効にする
recovery-title = リカバリーコード
recovery-lead = これらのコードは安全な場所に保管してください。各コードは 1 回だけ、アプリのコードの代わりに使えます。表示されるのは今だけです。
account-apps = 連携しているアプリケーション
account-apps-none = アカウントにアクセスできるアプリケーションはありません。
account-app-line = { $app }: 許可 { $scope }、有効なサインイン: { $grants }
account-app-revoke = アクセスを取り消す
account-password = パスワード
account-password-current = 現在のパスワード
account-password-submit = パスワードを変更
account-sign-in-code-hint = 2 段階認証を設定している場合のみ: アプリのコード、またはリカバリーコード。

# Issue 12: a client restricted to groups (--allowed-groups)
no-access-title = このアプリケーションへのアクセス権がありません
no-access-lead = あなたのアカウント { $user } は { $app } を利用できません。
no-access-todo = アクセスできるはずの場合は、管理者に適切なグループへの追加を依頼してください。
no-access-back = { $app } に戻る

device-title = デバイスを接続
device-lead = デバイス（テレビ、ゲーム機、コマンドラインツールなど）に表示されているコードを入力して、アカウントに接続してください。
device-lead-confirm = このコードがデバイスに表示されているものと同じか確認してから、続行してください。
device-code = コード
device-code-hint = デバイスに表示された 8 文字です。ハイフンや大文字・小文字は区別されません。
device-submit = 続行
device-error-unknown = このコードは無効です。有効期限が切れたか、すでに使用された可能性があります。デバイスを確認して、もう一度お試しください。
device-error-throttled = このネットワークから誤ったコードが多すぎます。数分待ってから、もう一度お試しください。
device-approved-title = デバイスを接続しました
device-approved-lead = このページを閉じてデバイスに戻ってください。デバイスは自動的に続行します。
device-denied-title = デバイスは接続されませんでした
device-denied-lead = デバイスにはアクセス権が与えられません。このページを閉じてかまいません。

## Passkeys (issue 11)
passkey-or = または
passkey-sign-in = パスキーでサインイン
passkey-verify = パスキーを使用
signin-error-passkey = パスキーが受け付けられませんでした。もう一度試すか、パスワードを使用してください。
account-passkeys = パスキー
account-passkeys-none = パスキーはまだありません。パスキーを使うと、パスワードなしで端末の画面ロックを使ってサインインできます。
account-passkey-name = 名前
account-passkey-rename = 名前を変更
account-passkey-remove = 削除
account-passkey-add = パスキーを追加
account-passkey-line = 追加 { $created }、最終使用 { $used }
account-passkey-line-synced = 追加 { $created }、最終使用 { $used }、端末間で同期
account-error-passkey = パスキーは追加されませんでした。もう一度お試しください。
account-error-last-credential = これが唯一のサインイン方法（パスワードも他のパスキーもありません）のため、削除できません。先に別のパスキーを追加するか、パスワードを設定してください。
invite-passkey = 代わりにパスキーを使ってサインイン
account-reauth-passkey = パスキーで本人確認
passkey-lead = { $app } に進むには、パスキーで確認してください。

## The admin pages (/admin)
admin-title = 管理
admin-nav-users = ユーザー
admin-nav-groups = グループ
admin-nav-clients = アプリケーション
admin-nav-keys = 署名鍵
admin-nav-audit = 監査ログ
admin-signed-in-as = { $user } としてサインイン中
admin-sign-out = サインアウト
admin-denied-title = 管理画面へのアクセス権がありません
admin-denied-lead = { $user } は admins グループのメンバーではありません。管理者は次のコマンドで追加できます:
admin-denied-sign-out = 別のアカウントでサインイン
admin-restart-title = サインインが完了しませんでした
admin-restart-lead = サインインに時間がかかりすぎたか、別のブラウザーで開始されました。もう一度やり直してください。
admin-restart-button = もう一度サインイン
admin-error-title = うまくいきませんでした
admin-back = 戻る
admin-never = なし
admin-users-title = ユーザー
admin-users-search = 検索
admin-users-search-label = ユーザー名、メールアドレスまたは名前
admin-users-none = 一致するユーザーはいません。
admin-field-username = ユーザー名
admin-field-email = メールアドレス
admin-field-name = 名前
admin-col-status = 状態
admin-col-last-login = 最終サインイン
admin-status-active = 有効
admin-status-disabled = 無効
admin-users-create = ユーザーを作成
admin-users-create-help = ユーザーは招待リンクから自分でパスワードを設定します。リンクはユーザーのページで作成され、一度だけ表示されます。
admin-create = 作成
admin-user-disable = 無効にする
admin-user-enable = 有効にする
admin-user-invite = 招待リンクを作成
admin-user-invite-shown = 招待リンク(今だけ表示されます。一度だけ使えます):
admin-user-sessions-end = すべてのセッションを終了
admin-user-no-groups = どのグループにも所属していません。
admin-user-add-group = グループに追加
admin-add = 追加
admin-remove = 削除
admin-groups-title = グループ
admin-groups-create = グループを作成
admin-field-group-name = 名前
admin-field-description = 説明
admin-group-members = メンバー
admin-group-no-members = まだメンバーはいません。
admin-group-add-member = メンバーを追加(ユーザー名)
admin-clients-title = アプリケーション
admin-client-new-title = アプリケーションを登録
admin-field-client-id = クライアント ID
admin-field-client-id-help = アプリケーションが client_id として送る短い名前: 英字、数字、ピリオド、- と _。
admin-field-client-name = 表示名
admin-field-client-name-help = サインインと同意のページに表示されます。
admin-field-client-type = 種類
admin-field-client-type-help = 機密: 秘密を保持できるサーバー側アプリケーション。公開: それができないシングルページまたはモバイルアプリケーションで、常に PKCE を使います。
admin-type-confidential = 機密(サーバー側)
admin-type-public = 公開(ブラウザーまたはモバイル)
admin-field-redirect-uris = リダイレクト URI
admin-field-redirect-uris-help = 1 行に 1 つ。Tessera はブラウザーをこれらにだけ戻し、完全一致で比較します(https、または localhost の http)。
admin-field-scope = 追加のスコープ
admin-field-scope-help = openid、profile、email 以外の API スコープをスペース区切りで。わからなければ空のままにしてください。
admin-field-skip-consent = 自社アプリケーション: 同意を求めない
admin-client-secret-shown = クライアントシークレット(今だけ表示されます。Tessera はハッシュだけを保存します):
admin-client-issuer = 発行者
admin-client-endpoints = エンドポイント
admin-client-snippet = OpenID Connect ライブラリの設定
admin-client-snippet-help = ほとんどのライブラリは発行者だけが必要です。エンドポイントはディスカバリー文書から読み取ります。
admin-doctor-title = 連携ドクター
admin-doctor-lead = このアプリケーションの最近失敗したリクエストを、それぞれ修正方法とともに説明します。
admin-doctor-none = 最近失敗したリクエストはありません。
admin-doctor-fix = 修正方法:
admin-keys-title = 署名鍵
admin-col-kid = 鍵 ID
admin-col-state = 状態
admin-col-created = 作成日時
admin-col-age = 経過
admin-keys-rotate = 今すぐローテーション
admin-keys-rotate-help = 次の鍵が現在の鍵になります。古い鍵で署名されたトークンは有効期限まで有効です。
admin-age-days = { $days } 日
admin-audit-title = 監査ログ
admin-audit-filter = 絞り込み
admin-field-since = 開始(UTC)
admin-field-until = 終了(UTC)
admin-field-user = ユーザー(subject)
admin-field-client = アプリケーション(クライアント ID)
admin-field-event = イベントの種類
admin-col-time = 日時
admin-col-actor = 実行者
admin-col-detail = 詳細
admin-audit-none = 一致するイベントはありません。
admin-audit-older = 古いイベント
