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

# Issue 12: a client restricted to groups (--allowed-groups)
no-access-title = このアプリケーションへのアクセス権がありません
no-access-lead = あなたのアカウント { $user } は { $app } を利用できません。
no-access-todo = アクセスできるはずの場合は、管理者に適切なグループへの追加を依頼してください。
no-access-back = { $app } に戻る
