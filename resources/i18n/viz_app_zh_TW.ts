<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
<context>
    <name></name>
    <message>
        <source>ok</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>遺失</translation>
    </message>
    <message>
        <source>corrupt</source>
        <translation>已損毀</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>類型</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>狀態</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>參數量</translation>
    </message>
    <message>
        <source>Size on disk</source>
        <translation>磁碟大小</translation>
    </message>
    <message>
        <source>{size} in {n} files</source>
        <translation>{size}，共 {n} 個檔案</translation>
    </message>
    <message>
        <source>{size} in 1 file</source>
        <translation>{size}，共 1 個檔案</translation>
    </message>
    <message>
        <source>Stored as</source>
        <translation>儲存格式</translation>
    </message>
    <message>
        <source>Training data</source>
        <translation>訓練資料</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>授權</translation>
    </message>
    <message>
        <source>Trained on</source>
        <translation>訓練環境</translation>
    </message>
    <message>
        <source>Training time</source>
        <translation>訓練時間</translation>
    </message>
    <message>
        <source>{s} s</source>
        <translation>{s} 秒</translation>
    </message>
    <message>
        <source>Built on</source>
        <translation>建置於</translation>
    </message>
    <message>
        <source>(written by a script, no training)</source>
        <translation>（由程式直接產生，未經訓練）</translation>
    </message>
    <message>
        <source>Measured</source>
        <translation>量測結果</translation>
    </message>
    <message>
        <source>No metrics on this card.</source>
        <translation>這張模型卡沒有量測數據。</translation>
    </message>
    <message>
        <source>Training command</source>
        <translation>訓練指令</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>檔案</translation>
    </message>
    <message>
        <source>About the models</source>
        <translation>關於模型</translation>
    </message>
    <message>
        <source>Copy card as JSON</source>
        <translation>以 JSON 複製模型卡</translation>
    </message>
    <message>
        <source>The model manifest cannot be read: {error}</source>
        <translation>無法讀取模型清單：{error}</translation>
    </message>
    <message>
        <source>{n} bundled models, {size} in all.</source>
        <translation>內建 {n} 個模型，共 {size}。</translation>
    </message>
    <message>
        <source>Not usable: {names}.</source>
        <translation>無法使用：{names}。</translation>
    </message>
    <message>
        <source>The details were written to {path}.</source>
        <translation>詳細資訊已寫入 {path}。</translation>
    </message>
    <message>
        <source>The crash log could not be written.</source>
        <translation>無法寫入當機紀錄。</translation>
    </message>
    <message>
        <source>Something went wrong</source>
        <translation>發生錯誤</translation>
    </message>
    <message>
        <source>An unexpected error happened; the app keeps running.</source>
        <translation>發生了未預期的錯誤；程式會繼續執行。</translation>
    </message>
    <message>
        <source>could not write {path}</source>
        <translation>無法寫入 {path}</translation>
    </message>
    <message>
        <source>none (coming in a later version)</source>
        <translation>無（將於之後的版本推出）</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>匯出…</translation>
    </message>
    <message>
        <source>this tab as PNG or SVG, or its numbers as CSV</source>
        <translation>將此分頁匯出為 PNG 或 SVG 圖檔，或將其數值匯出為 CSV</translation>
    </message>
    <message>
        <source>Try:</source>
        <translation>試試看：</translation>
    </message>
    <message>
        <source>put this sentence into the text box</source>
        <translation>把這個句子放進文字框</translation>
    </message>
    <message>
        <source>this lesson has nothing to export</source>
        <translation>這一課沒有可匯出的內容</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>匯出</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg);;Numbers (*.csv)</source>
        <translation>PNG 圖片 (*.png);;SVG 圖片 (*.svg);;數值 (*.csv)</translation>
    </message>
    <message>
        <source>Could not export {path}: {error}</source>
        <translation>無法匯出 {path}：{error}</translation>
    </message>
    <message>
        <source>no tab {name} in this lesson</source>
        <translation>這一課沒有名為 {name} 的分頁</translation>
    </message>
    <message>
        <source>; tabs: {titles}</source>
        <translation>；現有分頁：{titles}</translation>
    </message>
    <message>
        <source>Document similarity:</source>
        <translation>文件相似度：</translation>
    </message>
    <message>
        <source>Similarity</source>
        <translation>相似度</translation>
    </message>
    <message>
        <source>Document vectors</source>
        <translation>文件向量</translation>
    </message>
    <message>
        <source>bag of words (counting, no trained model)</source>
        <translation>詞袋（計數法，不需訓練模型）</translation>
    </message>
    <message>
        <source>1 document · vocabulary of {words} words</source>
        <translation>1 份文件 · 詞彙表共 {words} 個詞</translation>
    </message>
    <message>
        <source>{n} documents · vocabulary of {words} words</source>
        <translation>{n} 份文件 · 詞彙表共 {words} 個詞</translation>
    </message>
    <message>
        <source>Type two or more documents, one per line, to compare them.</source>
        <translation>輸入兩份以上的文件（每行一份）即可互相比較。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Doc {i}&lt;/b&gt; · {n} tokens</source>
        <translation>&lt;b&gt;文件 {i}&lt;/b&gt; · {n} 個詞元</translation>
    </message>
    <message>
        <source>(the top {shown} of {total} words)</source>
        <translation>（{total} 個詞中的前 {shown} 個）</translation>
    </message>
    <message>
        <source>word</source>
        <translation>詞</translation>
    </message>
    <message>
        <source>count</source>
        <translation>次數</translation>
    </message>
    <message>
        <source>cosine (1 = same direction)</source>
        <translation>餘弦（1 = 方向相同）</translation>
    </message>
    <message>
        <source>Euclidean distance (small = similar)</source>
        <translation>歐氏距離（越小越相似）</translation>
    </message>
    <message>
        <source>dot product</source>
        <translation>內積</translation>
    </message>
    <message>
        <source>doc {i}</source>
        <translation>文件 {i}</translation>
    </message>
    <message>
        <source>Each row is one document&apos;s count vector over the shared vocabulary ({words} words; the first {shown} shown).</source>
        <translation>每一列是一份文件在共同詞彙表上的計數向量（共 {words} 個詞；只顯示前 {shown} 個）。</translation>
    </message>
    <message>
        <source>Each row is one document&apos;s count vector over the shared vocabulary ({words} words).</source>
        <translation>每一列是一份文件在共同詞彙表上的計數向量（共 {words} 個詞）。</translation>
    </message>
    <message>
        <source>&lt;b&gt;The problem of BOW: the order of the words is ignored.&lt;/b&gt; “{a}” and “{b}” both become {{{bag}}}: identical vectors (cosine {cosine}, distance {distance}), though they mean opposite things.</source>
        <translation>&lt;b&gt;詞袋模型的問題：詞的順序被忽略了。&lt;/b&gt;「{a}」和「{b}」都變成 {{{bag}}}：完全相同的向量（餘弦 {cosine}，距離 {distance}），但兩句的意思正好相反。</translation>
    </message>
    <message>
        <source>&lt;b&gt;The problem of BOW: the order of the words is ignored.&lt;/b&gt; “{a}” and “{b}” both become {{{bag}}}: different vectors (cosine {cosine}, distance {distance}), though they mean opposite things.</source>
        <translation>&lt;b&gt;詞袋模型的問題：詞的順序被忽略了。&lt;/b&gt;「{a}」和「{b}」都變成 {{{bag}}}：不同的向量（餘弦 {cosine}，距離 {distance}），但兩句的意思正好相反。</translation>
    </message>
    <message>
        <source>In your text, documents {i} and {j} differ only in word order and get identical bag-of-words vectors.</source>
        <translation>在你的文字中，文件 {i} 和文件 {j} 只有詞序不同，因此得到完全相同的詞袋向量。</translation>
    </message>
    <message>
        <source>Cosine similarity</source>
        <translation>餘弦相似度</translation>
    </message>
    <message>
        <source>Euclidean distance</source>
        <translation>歐氏距離</translation>
    </message>
    <message>
        <source>Dot product</source>
        <translation>內積</translation>
    </message>
    <message>
        <source>Skip-gram (prediction)</source>
        <translation>Skip-gram（預測式）</translation>
    </message>
    <message>
        <source>CBOW (prediction)</source>
        <translation>CBOW（預測式）</translation>
    </message>
    <message>
        <source>GloVe (counting)</source>
        <translation>GloVe（計數式）</translation>
    </message>
    <message>
        <source>PPMI + SVD (counting)</source>
        <translation>PPMI + SVD（計數式）</translation>
    </message>
    <message>
        <source>negative</source>
        <translation>負面</translation>
    </message>
    <message>
        <source>positive</source>
        <translation>正面</translation>
    </message>
    <message>
        <source>architecture</source>
        <translation>架構</translation>
    </message>
    <message>
        <source>multiple Transformer encoders, bidirectional</source>
        <translation>多個 Transformer 編碼器，雙向</translation>
    </message>
    <message>
        <source>stacked Transformer blocks, unidirectional (causal mask)</source>
        <translation>堆疊的 Transformer 區塊，單向（因果遮罩）</translation>
    </message>
    <message>
        <source>pre-training objectives</source>
        <translation>預訓練目標</translation>
    </message>
    <message>
        <source>&quot;masked language model&quot; and &quot;next sentence prediction&quot;: predict masked words and judge whether two sentences are consecutive</source>
        <translation>「遮罩語言模型」與「下一句預測」：預測被遮住的詞，並判斷兩個句子是否前後相連</translation>
    </message>
    <message>
        <source>&quot;predicting the next word&quot;, to learn the language structure and contextual relationships within sentences</source>
        <translation>「預測下一個詞」，藉此學習語言結構與句子中的上下文關係</translation>
    </message>
    <message>
        <source>input</source>
        <translation>輸入</translation>
    </message>
    <message>
        <source>a bidirectional Transformer: the words on the left and the right of each word ([CLS] A [SEP] B [SEP])</source>
        <translation>雙向 Transformer：每個詞左右兩側的詞（[CLS] A [SEP] B [SEP]）</translation>
    </message>
    <message>
        <source>a unidirectional Transformer: the text sequence so far</source>
        <translation>單向 Transformer：到目前為止的文字序列</translation>
    </message>
    <message>
        <source>fine-tuning</source>
        <translation>微調</translation>
    </message>
    <message>
        <source>adjust the last layer of the pre-trained model to the task</source>
        <translation>調整預訓練模型的最後一層以適應任務</translation>
    </message>
    <message>
        <source>the same: adjust the last layer</source>
        <translation>相同：調整最後一層</translation>
    </message>
    <message>
        <source>this app&apos;s example</source>
        <translation>本程式中的例子</translation>
    </message>
    <message>
        <source>fill in [MASK]; the sentiment head (Fine-tuning tab)</source>
        <translation>填入 [MASK]；情感分類頭（「微調」分頁）</translation>
    </message>
    <message>
        <source>next-token bars and generation</source>
        <translation>下一個詞元的機率長條圖與文字生成</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>the model trained here, or a Hugging Face folder you opened (File menu)</source>
        <translation>在本程式中訓練的模型，或你開啟的 Hugging Face 資料夾（「檔案」選單）</translation>
    </message>
    <message>
        <source>The text is longer than the model&apos;s context: {n} tokens were cut.</source>
        <translation>文字超出模型的上下文長度：已截掉 {n} 個詞元。</translation>
    </message>
    <message>
        <source>{n} of the tokens are [UNK]: characters this model&apos;s vocabulary does not have (it was trained on English stories and reviews), such as Chinese or emoji. The numbers below are still the model&apos;s own.</source>
        <translation>有 {n} 個詞元是 [UNK]：這些字元不在模型的詞彙表裡（它是用英文故事和評論訓練的），例如中文或表情符號。下面的數值仍是模型自己算出來的。</translation>
    </message>
    <message>
        <source>Layer:</source>
        <translation>層：</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>The GPT&apos;s causal mask: a token never looks at the tokens after it, so the upper triangle of every map is empty.</source>
        <translation>GPT 的因果遮罩：詞元永遠不會看它之後的詞元，所以每張圖的上三角都是空的。</translation>
    </message>
    <message>
        <source>BERT reads in both directions: every token looks at every other one.</source>
        <translation>BERT 會雙向閱讀：每個詞元都會看其他所有詞元。</translation>
    </message>
    <message>
        <source>{model}, layer {layer}: each token on the left attends to the tokens on the right, one colour per head (hover a token to isolate it).</source>
        <translation>{model}，第 {layer} 層：左邊的每個詞元對右邊的詞元分配注意力，每個注意力頭一種顏色（游標移到詞元上可單獨顯示它）。</translation>
    </message>
    <message>
        <source>Right: all {layers} layers × {heads} heads; click one to open it large.</source>
        <translation>右邊：全部 {layers} 層 × {heads} 個頭；點選其中一張可放大顯示。</translation>
    </message>
    <message>
        <source>layer {layer}</source>
        <translation>第 {layer} 層</translation>
    </message>
    <message>
        <source>The same sentence through both models. Their last layer&apos;s attention (mean of the heads): BERT&apos;s matrix is full, GPT&apos;s is lower-triangular (causal mask). Their objectives on the same word, “&lt;b&gt;{word}&lt;/b&gt;”: BERT sees it as [MASK] with the words on both sides; GPT sees only the words before it and predicts the next one.</source>
        <translation>同一個句子分別送進兩個模型。它們最後一層的注意力（各頭平均）：BERT 的矩陣是滿的，GPT 的是下三角矩陣（因果遮罩）。兩者對同一個詞「&lt;b&gt;{word}&lt;/b&gt;」的目標：BERT 把它看成 [MASK]，並看得到兩側的詞；GPT 只看得到它之前的詞，並預測下一個詞。</translation>
    </message>
    <message>
        <source>BERT attention</source>
        <translation>BERT 注意力</translation>
    </message>
    <message>
        <source>GPT attention</source>
        <translation>GPT 注意力</translation>
    </message>
    <message>
        <source>BERT: the masked word is…</source>
        <translation>BERT：被遮住的詞是…</translation>
    </message>
    <message>
        <source>GPT: the next word is…</source>
        <translation>GPT：下一個詞是…</translation>
    </message>
    <message>
        <source>nothing to export yet</source>
        <translation>目前還沒有可匯出的內容</translation>
    </message>
    <message>
        <source>Fill-mask</source>
        <translation>填空（遮罩）</translation>
    </message>
    <message>
        <source>Contextual embeddings</source>
        <translation>上下文詞嵌入</translation>
    </message>
    <message>
        <source>Fine-tuning</source>
        <translation>微調</translation>
    </message>
    <message>
        <source>BERT vs GPT</source>
        <translation>BERT 與 GPT 比較</translation>
    </message>
    <message>
        <source>the sentiment label (bert-sentiment)</source>
        <translation>情感標籤（bert-sentiment）</translation>
    </message>
    <message>
        <source>Insert [MASK]</source>
        <translation>插入 [MASK]</translation>
    </message>
    <message>
        <source>put [MASK] at the cursor in the text box</source>
        <translation>在文字框的游標位置放入 [MASK]</translation>
    </message>
    <message>
        <source>Word:</source>
        <translation>詞：</translation>
    </message>
    <message>
        <source>BERT layer:</source>
        <translation>BERT 層：</translation>
    </message>
    <message>
        <source>0 = the embedding layer (before any attention)</source>
        <translation>0 = 詞嵌入層（尚未經過任何注意力）</translation>
    </message>
    <message>
        <source>Update</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>Type an English sentence: the models were trained on children&apos;s stories (TinyStories).</source>
        <translation>請輸入英文句子：這些模型是用兒童故事（TinyStories）訓練的。</translation>
    </message>
    <message>
        <source>No [MASK] in your text yet: press &lt;b&gt;Insert [MASK]&lt;/b&gt; (it goes where the cursor is in the text box) or double-click a word below to mask it. BERT then predicts the hidden word from the words on &lt;i&gt;both&lt;/i&gt; sides.</source>
        <translation>你的文字中還沒有 [MASK]：按 &lt;b&gt;插入 [MASK]&lt;/b&gt;（會放在文字框的游標位置），或在下方雙擊一個詞把它遮住。BERT 會根據&lt;i&gt;兩側&lt;/i&gt;的詞預測被遮住的詞。</translation>
    </message>
    <message>
        <source>{n} [MASK]: BERT&apos;s top {top} guesses for each, from the words on both sides at once. Click a guess to put it into the sentence.</source>
        <translation>{n} 個 [MASK]：BERT 同時根據兩側的詞，為每個 [MASK] 提出前 {top} 個猜測。點選一個猜測即可把它放進句子。</translation>
    </message>
    <message>
        <source>{token}: probability {p} (click to use it)</source>
        <translation>{token}：機率 {p}（點選以使用）</translation>
    </message>
    <message>
        <source>[MASK] {k}, token {position}: … {context} …</source>
        <translation>第 {k} 個 [MASK]，第 {position} 個詞元：… {context} …</translation>
    </message>
    <message>
        <source>Left out (no “{word}”): {sentences}</source>
        <translation>已略過（沒有「{word}」）：{sentences}</translation>
    </message>
    <message>
        <source>BERT cosine</source>
        <translation>BERT 餘弦</translation>
    </message>
    <message>
        <source>skip-gram cosine (static)</source>
        <translation>skip-gram 餘弦（靜態）</translation>
    </message>
    <message>
        <source>“{word}” has no skip-gram vector</source>
        <translation>「{word}」沒有 skip-gram 向量</translation>
    </message>
    <message>
        <source>(a) Bag of words + logistic regression</source>
        <translation>(a) 詞袋 + 邏輯斯迴歸</translation>
    </message>
    <message>
        <source>(b) BERT, only its last block fine-tuned</source>
        <translation>(b) BERT，只微調最後一個區塊</translation>
    </message>
    <message>
        <source>(c) BERT, every layer fine-tuned</source>
        <translation>(c) BERT，每一層都微調</translation>
    </message>
    <message>
        <source>No BERT at all: the text&apos;s words and word pairs, weighted by TF-IDF (the bag of words of the Document embedding lesson), each with a weight learned from the reviews. Word order beyond pairs is lost.</source>
        <translation>完全不用 BERT：文字中的詞與相鄰詞對，以 TF-IDF 加權（即「文件嵌入」課的詞袋），每一項各有一個從評論學到的權重。超過兩個詞的詞序資訊都會遺失。</translation>
    </message>
    <message>
        <source>The lecture&apos;s recipe: the pre-trained BERT stays as it was, except its last block and a small new layer on [CLS], trained on the labelled reviews.</source>
        <translation>課程的做法：預訓練好的 BERT 保持不變，只有最後一個區塊和 [CLS] 上一層新的小網路在有標籤的評論上訓練。</translation>
    </message>
    <message>
        <source>Every weight of the pre-trained BERT adjusted, with the new layer on [CLS], on the labelled reviews and short sentences cut from them.</source>
        <translation>預訓練 BERT 的每一個權重都連同 [CLS] 上的新層一起調整，訓練資料是有標籤的評論以及從中切出的短句。</translation>
    </message>
    <message>
        <source>{p} of {n} reviews</source>
        <translation>{n} 則評論中答對 {p}</translation>
    </message>
    <message>
        <source>{p} of {n} short sentences</source>
        <translation>{n} 個短句中答對 {p}</translation>
    </message>
    <message>
        <source>{p} of {n} typed reviews</source>
        <translation>{n} 則手寫短評中答對 {p}</translation>
    </message>
    <message>
        <source>its card has no held-out accuracy</source>
        <translation>它的模型卡沒有保留資料上的正確率</translation>
    </message>
    <message>
        <source>Right on held-out text: {figures}</source>
        <translation>在訓練時沒見過的文字上：{figures}</translation>
    </message>
    <message>
        <source>cannot tell: the model does not know these words</source>
        <translation>無法判斷：模型不認識這些詞</translation>
    </message>
    <message>
        <source>uncertain ({label} {p})</source>
        <translation>不確定（{label} {p}）</translation>
    </message>
    <message>
        <source>the best by held-out accuracy: the generative page uses it</source>
        <translation>保留資料正確率最高：生成式頁面使用它</translation>
    </message>
    <message>
        <source>{model} is not bundled</source>
        <translation>沒有附上 {model}</translation>
    </message>
    <message>
        <source>probability of each label</source>
        <translation>各標籤的機率</translation>
    </message>
    <message>
        <source>Pushed most (towards positive +, negative −): {terms}</source>
        <translation>影響最大的詞（+ 偏向正面，− 偏向負面）：{terms}</translation>
    </message>
    <message>
        <source>None of these words is in its vocabulary.</source>
        <translation>這些詞都不在它的詞彙表裡。</translation>
    </message>
    <message>
        <source>The comparison needs {model} (the other Tang-poem model), which is not bundled yet.</source>
        <translation>這個比較需要 {model}（另一個唐詩模型），它目前還沒有隨附。</translation>
    </message>
    <message>
        <source>BERT reads: “{bert}”. GPT reads: “{gpt}”.</source>
        <translation>BERT 讀入：「{bert}」。GPT 讀入：「{gpt}」。</translation>
    </message>
    <message>
        <source>The classifiers read your text without its [MASK]s (a review has none).</source>
        <translation>分類器讀的是去掉 [MASK] 的文字（影評裡沒有 [MASK]）。</translation>
    </message>
    <message>
        <source>one sentence per line, its sense after “|” (the points take the colour of their sense); press Update</source>
        <translation>每行一個句子，詞義寫在「|」之後（點會依詞義上色）；按「更新」</translation>
    </message>
    <message>
        <source>Sentences…</source>
        <translation>句子…</translation>
    </message>
    <message>
        <source>show or hide the list of sentences (one per line, its sense after “|”)</source>
        <translation>顯示或隱藏句子清單（每行一句，詞義寫在「|」之後）</translation>
    </message>
    <message>
        <source>&lt;b&gt;Pre-train, then fine-tune.&lt;/b&gt; The BERT of this lesson was pre-trained on plain text (masked words, next sentences), then fine-tuned on labelled movie reviews (positive / negative). Three classifiers read what you type, side by side; each shows its accuracy on reviews and sentences it never saw in training (from its model card).</source>
        <translation>&lt;b&gt;先預訓練，再微調。&lt;/b&gt;本課的 BERT 先在一般文字上預訓練（遮罩詞、下一句），再用有標籤的電影評論（正面／負面）微調。三個分類器並排讀你輸入的文字；每個都顯示它在訓練時沒見過的評論與句子上的正確率（取自它的模型卡）。</translation>
    </message>
    <message>
        <source>“{word}” in {n} sentences: BERT&apos;s vector at layer {layer} (middle, PCA to 2D) depends on the sentence; the skip-gram vector is the same in all (bottom right).</source>
        <translation>「{word}」出現在 {n} 個句子裡：BERT 第 {layer} 層的向量（中間，以 PCA 降到 2 維）隨句子而變；skip-gram 向量在所有句子裡都一樣（右下）。</translation>
    </message>
    <message>
        <source>no sense given</source>
        <translation>未標詞義</translation>
    </message>
    <message>
        <source>Mean cosine within a sense &lt;b&gt;{within}&lt;/b&gt;, across senses &lt;b&gt;{across}&lt;/b&gt; (layer {layer}); within − across by layer: {by_layer}.</source>
        <translation>同一詞義內的平均餘弦相似度 &lt;b&gt;{within}&lt;/b&gt;，不同詞義之間 &lt;b&gt;{across}&lt;/b&gt;（第 {layer} 層）；各層的「詞義內 − 詞義間」：{by_layer}。</translation>
    </message>
    <message>
        <source>Put a sense after “|” at the end of each sentence to colour the points by sense.</source>
        <translation>在每個句子結尾的「|」後面寫上詞義，點就會依詞義上色。</translation>
    </message>
    <message>
        <source>Next token</source>
        <translation>下一個詞元</translation>
    </message>
    <message>
        <source>Logit lens</source>
        <translation>Logit 透鏡</translation>
    </message>
    <message>
        <source>GPT vs BERT</source>
        <translation>GPT 與 BERT 比較</translation>
    </message>
    <message>
        <source>Temperature:</source>
        <translation>溫度：</translation>
    </message>
    <message>
        <source>Top-k:</source>
        <translation>Top-k：</translation>
    </message>
    <message>
        <source>off</source>
        <translation>關閉</translation>
    </message>
    <message>
        <source>Top-p:</source>
        <translation>Top-p：</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>亂數種子：</translation>
    </message>
    <message>
        <source>sample one token with these settings and add it to the text</source>
        <translation>用這些設定取樣一個詞元，並加到文字後面</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>up to</source>
        <translation>最多</translation>
    </message>
    <message>
        <source>tokens</source>
        <translation>個詞元</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Use as text</source>
        <translation>用作輸入文字</translation>
    </message>
    <message>
        <source>put the generated text into the text box (to see its attention)</source>
        <translation>把生成的文字放進文字框（以查看它的注意力）</translation>
    </message>
    <message>
        <source>Poem form:</source>
        <translation>詩體：</translation>
    </message>
    <message>
        <source>free (no form)</source>
        <translation>自由（不限詩體）</translation>
    </message>
    <message>
        <source>the sampler keeps the line length and the punctuation of the form: every other token is greyed out</source>
        <translation>取樣時遵守詩體的每句字數與標點：其他詞元一律變灰、不能選</translation>
    </message>
    <message>
        <source>藏頭 (acrostic):</source>
        <translation>藏頭：</translation>
    </message>
    <message>
        <source>4 or 8 characters, one per line</source>
        <translation>4 或 8 個字，每句開頭一個</translation>
    </message>
    <message>
        <source>Press &lt;b&gt;Generate&lt;/b&gt;: the GPT writes up to that many tokens, one at a time, each drawn from the distribution on the left (the same seed gives the same text). &lt;b&gt;Next token&lt;/b&gt; draws one and adds it to your text.</source>
        <translation>按 &lt;b&gt;生成&lt;/b&gt;：GPT 會一次一個地寫出最多這麼多個詞元，每個都從左邊的機率分布中抽出（相同的亂數種子會得到相同的文字）。&lt;b&gt;下一個詞元&lt;/b&gt; 則只抽出一個，並加到你的文字後面。</translation>
    </message>
    <message>
        <source>probability of the guess:</source>
        <translation>猜測的機率：</translation>
    </message>
    <message>
        <source>Type some English text: the GPT was trained on children&apos;s stories (TinyStories).</source>
        <translation>請輸入一些英文文字：這個 GPT 是用兒童故事（TinyStories）訓練的。</translation>
    </message>
    <message>
        <source>{first} and {second}</source>
        <translation>{first} 和 {second}</translation>
    </message>
    <message>
        <source>Orange: the probability sampling uses at temperature {temperature} after {limits}.</source>
        <translation>橘色：在溫度 {temperature} 並套用 {limits} 之後，取樣實際使用的機率。</translation>
    </message>
    <message>
        <source>Orange: the probability sampling uses at temperature {temperature}.</source>
        <translation>橘色：在溫度 {temperature} 下，取樣實際使用的機率。</translation>
    </message>
    <message>
        <source>What the GPT predicts after “…{context}”: the 20 likeliest next tokens. Blue: the model&apos;s probability.</source>
        <translation>GPT 在「…{context}」之後的預測：最可能的 20 個下一個詞元。藍色：模型的機率。</translation>
    </message>
    <message>
        <source>Grey rows can no longer be picked; {n} of the vocabulary still can.</source>
        <translation>灰色的列已不可能被選到；詞彙表中還有 {n} 個詞元可以被選到。</translation>
    </message>
    <message>
        <source>{token}: model {p}, sampling {q}</source>
        <translation>{token}：模型 {p}，取樣 {q}</translation>
    </message>
    <message>
        <source>{token}: model {p}, sampling {q} (filtered out)</source>
        <translation>{token}：模型 {p}，取樣 {q}（已被濾除）</translation>
    </message>
    <message>
        <source>{model} writing a poem</source>
        <translation>{model} 正在寫詩</translation>
    </message>
    <message>
        <source>{model} generating</source>
        <translation>{model} 生成中</translation>
    </message>
    <message>
        <source>{title}: at position {position} the form permits {permitted} tokens; it removed {removed} of the model&apos;s probability. Blue: the model&apos;s probability; orange: what sampling drew from; grey: removed by the form (or by top-k / top-p).</source>
        <translation>{title}：在第 {position} 個位置，詩體只允許 {permitted} 個詞元；它拿掉了模型 {removed} 的機率。藍色：模型的機率；橘色：取樣實際使用的機率；灰色：被詩體（或 top-k／top-p）排除。</translation>
    </message>
    <message>
        <source>each new token with the probability it was drawn with:</source>
        <translation>每個新詞元與抽出它時的機率：</translation>
    </message>
    <message>
        <source>The logit lens: the GPT&apos;s output layer read off every layer&apos;s hidden state. Each column is a position (the token it has just read), each row a layer from the embeddings (top) to the last layer (bottom, the model&apos;s real prediction); each cell is that layer&apos;s best guess for the &lt;i&gt;next&lt;/i&gt; token, shaded by its probability. Watch the guess form layer by layer.</source>
        <translation>Logit 透鏡：用 GPT 的輸出層去讀每一層的隱藏狀態。每一欄是一個位置（它剛讀到的詞元），每一列是一層，從詞嵌入（最上方）到最後一層（最下方，也就是模型真正的預測）；每一格是該層對&lt;i&gt;下一個&lt;/i&gt;詞元的最佳猜測，顏色深淺代表它的機率。看看猜測如何一層一層成形。</translation>
    </message>
    <message>
        <source>embeddings</source>
        <translation>詞嵌入</translation>
    </message>
    <message>
        <source>after layer {layer}, position {position} ({token}): next = {guess}, p = {p}</source>
        <translation>第 {layer} 層之後，位置 {position}（{token}）：下一個 = {guess}，p = {p}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Generative&lt;/b&gt;: generates new data. The GPT continues your text word by word, sampling each next word from its predicted distribution.</source>
        <translation>&lt;b&gt;生成式&lt;/b&gt;：生成新的資料。GPT 一個詞一個詞地接續你的文字，每個下一個詞都從它預測的機率分布中取樣。</translation>
    </message>
    <message>
        <source>Label vs generate</source>
        <translation>分類與生成</translation>
    </message>
    <message>
        <source>&lt;b&gt;Generative&lt;/b&gt;: generates new data. The character GPT ({model}, trained on Tang poems) continues your poem character by character, sampling each next character from its predicted distribution.</source>
        <translation>&lt;b&gt;生成式&lt;/b&gt;：產生新的資料。字元 GPT（{model}，以唐詩訓練）一個字一個字地續寫你的詩，每個下一個字都從它預測的機率分布中取樣。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Discriminative&lt;/b&gt;: predicts a label for the input: is your text a positive or a negative review? Labelled here by {title} ({model}), the best of the three classifiers on the BERT lesson&apos;s Fine-tuning tab by held-out accuracy. {figures}</source>
        <translation>&lt;b&gt;判別式&lt;/b&gt;：為輸入預測標籤：你的文字是正面還是負面的評論？這裡由 {title}（{model}）標記，它是 BERT 課「微調」分頁三個分類器中保留資料正確率最高的。{figures}</translation>
    </message>
    <message>
        <source>Type a review, or the start of a story (or of a Tang poem).</source>
        <translation>輸入一則評論，或一個故事的開頭（或一首唐詩的開頭）。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Discriminative&lt;/b&gt;: predicts a label for the input: which poet wrote this poem? Labelled by {model}, bert-tang fine-tuned on the poems of the {n} most prolific poets. Right on {acc} of {count} poems it never saw; a bag-of-characters logistic regression: {base}; always {first}: {majority}. It names one of these {n} whatever you type.</source>
        <translation>&lt;b&gt;判別式&lt;/b&gt;：為輸入預測一個標籤：這首詩是哪位詩人寫的？由 {model} 判斷，它是 bert-tang 以作品最多的 {n} 位詩人的詩微調而成。在 {count} 首它從未見過的詩上答對 {acc}；字袋（bag of characters）邏輯迴歸：{base}；一律猜 {first}：{majority}。不論你輸入什麼，它都會在這 {n} 位中選一位。</translation>
    </message>
    <message>
        <source>Here the simple bag of characters does better than this small fine-tuned BERT.</source>
        <translation>在這裡，簡單的字袋模型比這個微調過的小 BERT 表現更好。</translation>
    </message>
    <message>
        <source>cannot tell: the model does not know these characters</source>
        <translation>無法判斷：模型不認得這些字</translation>
    </message>
    <message>
        <source>probability of each poet</source>
        <translation>每位詩人的機率</translation>
    </message>
    <message>
        <source>input gate i (what to write)</source>
        <translation>輸入閘 i（要寫入什麼）</translation>
    </message>
    <message>
        <source>forget gate f (what to keep)</source>
        <translation>遺忘閘 f（要保留什麼）</translation>
    </message>
    <message>
        <source>output gate o (what to show)</source>
        <translation>輸出閘 o（要輸出什麼）</translation>
    </message>
    <message>
        <source>candidate g</source>
        <translation>候選值 g</translation>
    </message>
    <message>
        <source>cell state c (the memory)</source>
        <translation>細胞狀態 c（記憶）</translation>
    </message>
    <message>
        <source>hidden state h</source>
        <translation>隱藏狀態 h</translation>
    </message>
    <message>
        <source>generated {n} of at most {most} words</source>
        <translation>已生成 {n} 個詞（最多 {most} 個）</translation>
    </message>
    <message>
        <source>Unit:</source>
        <translation>單元：</translation>
    </message>
    <message>
        <source>Click a cell of any map to pick its unit and time step.</source>
        <translation>點選任一張圖中的格子，即可選擇該單元與時間步。</translation>
    </message>
    <message>
        <source>the chosen step&apos;s vectors, for the units shown in the maps</source>
        <translation>所選時間步的向量（只列出圖中顯示的單元）</translation>
    </message>
    <message>
        <source>Gates</source>
        <translation>閘門</translation>
    </message>
    <message>
        <source>P(word | words before it)</source>
        <translation>P(詞 | 它之前的詞)</translation>
    </message>
    <message>
        <source>Chain rule</source>
        <translation>連鎖律</translation>
    </message>
    <message>
        <source>the gates i, f, o</source>
        <translation>閘門 i、f、o</translation>
    </message>
    <message>
        <source>the memory g, c, h</source>
        <translation>記憶 g、c、h</translation>
    </message>
    <message>
        <source>all six</source>
        <translation>全部六張</translation>
    </message>
    <message>
        <source>input gate i</source>
        <translation>輸入閘 i</translation>
    </message>
    <message>
        <source>forget gate f</source>
        <translation>遺忘閘 f</translation>
    </message>
    <message>
        <source>output gate o</source>
        <translation>輸出閘 o</translation>
    </message>
    <message>
        <source>cell state c</source>
        <translation>細胞狀態 c</translation>
    </message>
    <message>
        <source>Maps:</source>
        <translation>熱圖：</translation>
    </message>
    <message>
        <source>Include the last factor P(&lt;end&gt; | …): the probability that the text stops here</source>
        <translation>納入最後一個因子 P(&lt;end&gt; | …)：文字在此結束的機率</translation>
    </message>
    <message>
        <source>words:</source>
        <translation>詞數：</translation>
    </message>
    <message>
        <source>seed:</source>
        <translation>亂數種子：</translation>
    </message>
    <message>
        <source>Next word</source>
        <translation>下一個詞</translation>
    </message>
    <message>
        <source>A &lt;b&gt;bi-directional RNN&lt;/b&gt; reads the sentence twice: forwards, so that h&lt;sub&gt;t&lt;/sub&gt; has seen words 1…t, and backwards, so that it has seen words t…T. Each word then gets both states (concatenated): the whole sentence, before and after it. That is why a bi-directional model &lt;b&gt;cannot generate text&lt;/b&gt;: to produce word t it would need the words after t, which do not exist yet. It suits tasks that have the whole input at once (tagging, classifying, BERT-style models). &lt;i&gt;Here the backward pass runs the bundled left-to-right LSTM over the reversed words, to show what each direction has seen; a real bi-directional model trains its own backward LSTM.&lt;/i&gt;</source>
        <translation>&lt;b&gt;雙向 RNN&lt;/b&gt; 會把句子讀兩次：正向讀，使 h&lt;sub&gt;t&lt;/sub&gt; 看過第 1…t 個詞；反向讀，使它看過第 t…T 個詞。每個詞因此得到兩個狀態（串接在一起）：涵蓋它前後的整個句子。這就是為什麼雙向模型&lt;b&gt;無法生成文字&lt;/b&gt;：要產生第 t 個詞，它需要 t 之後的詞，但那些詞還不存在。它適合一次就拿到完整輸入的任務（標註、分類、BERT 類型的模型）。&lt;i&gt;這裡的反向計算是用內建的由左到右 LSTM 去讀反轉後的詞，用來展示每個方向看過什麼；真正的雙向模型會另外訓練自己的反向 LSTM。&lt;/i&gt;</translation>
    </message>
    <message>
        <source>Bi-directional</source>
        <translation>雙向</translation>
    </message>
    <message>
        <source>bigram (Kneser-Ney smoothing)</source>
        <translation>二元語法（Kneser-Ney 平滑）</translation>
    </message>
    <message>
        <source>bar height:</source>
        <translation>長條高度：</translation>
    </message>
    <message>
        <source>after the dashed line: &lt;end&gt;</source>
        <translation>虛線之後：&lt;end&gt;</translation>
    </message>
    <message>
        <source>Not in the model&apos;s vocabulary, shown as &lt;unk&gt;: {words}.</source>
        <translation>不在模型的詞彙表中，以 &lt;unk&gt; 表示：{words}。</translation>
    </message>
    <message>
        <source>Only the first {n} tokens are used; {more} more were cut.</source>
        <translation>只使用前 {n} 個詞元；另外 {more} 個已被截掉。</translation>
    </message>
    <message>
        <source>Type a sentence to watch the gates open and close word by word.</source>
        <translation>輸入一個句子，看看閘門如何隨著每個詞開開關關。</translation>
    </message>
    <message>
        <source>the numbers of this tab are still being computed</source>
        <translation>這一頁的數字還在計算中</translation>
    </message>
    <message>
        <source>Rows: the {shown} of {units} units whose cell state changes most over this sentence (unit numbers on the left). Click a cell of any map to pick its unit and time step.</source>
        <translation>列：{units} 個單元中，細胞狀態在這個句子裡變化最大的 {shown} 個（左側是單元編號）。點選任一張圖中的格子，即可選擇該單元與時間步。</translation>
    </message>
    <message>
        <source>unit {unit} over time</source>
        <translation>單元 {unit} 隨時間的變化</translation>
    </message>
    <message>
        <source>unit (step {t})</source>
        <translation>單元（時間步 {t}）</translation>
    </message>
    <message>
        <source>&lt;b&gt;Step {t} (“{word}”), unit {unit}&lt;/b&gt;</source>
        <translation>&lt;b&gt;時間步 {t}（「{word}」），單元 {unit}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>The forget gate keeps {f}% of the old memory; the input gate writes {i}% of the candidate; the output gate shows {o}% of the squashed memory.</source>
        <translation>遺忘閘保留 {f}% 的舊記憶；輸入閘寫入 {i}% 的候選值；輸出閘輸出 {o}% 經過壓縮（tanh）的記憶。</translation>
    </message>
    <message>
        <source>Type a sentence to see its probability word by word.</source>
        <translation>輸入一個句子，逐詞查看它的機率。</translation>
    </message>
    <message>
        <source>&lt;end&gt; (the text stops here)</source>
        <translation>&lt;end&gt;（文字在此結束）</translation>
    </message>
    <message>
        <source>&lt;end&gt; (left out)</source>
        <translation>&lt;end&gt;（不計入）</translation>
    </message>
    <message>
        <source>(left out)</source>
        <translation>（不計入）</translation>
    </message>
    <message>
        <source>The LSTM, which reads every word before, gives this text {times} times the bigram&apos;s probability.</source>
        <translation>讀過前面每一個詞的 LSTM，給這段文字的機率是二元語法模型的 {times} 倍。</translation>
    </message>
    <message>
        <source>Here the bigram gives this text {times} times the LSTM&apos;s probability.</source>
        <translation>在這裡，二元語法模型給這段文字的機率是 LSTM 的 {times} 倍。</translation>
    </message>
    <message>
        <source>Both models give this text the same probability.</source>
        <translation>兩個模型給這段文字的機率相同。</translation>
    </message>
    <message>
        <source>P(text)</source>
        <translation>P(文字)</translation>
    </message>
    <message>
        <source>&lt;b&gt;LSTM&lt;/b&gt;: log P = {lstm_logp} nats over {n} factors (perplexity {lstm_ppl} per factor). &lt;b&gt;Bigram&lt;/b&gt; (only the previous word): log P = {bigram_logp} nats (perplexity {bigram_ppl}).</source>
        <translation>&lt;b&gt;LSTM&lt;/b&gt;：{n} 個因子的 log P = {lstm_logp} 奈特（nats）（每個因子的困惑度為 {lstm_ppl}）。&lt;b&gt;二元語法（bigram）&lt;/b&gt;（只看前一個詞）：log P = {bigram_logp} 奈特（困惑度 {bigram_ppl}）。</translation>
    </message>
    <message>
        <source>P(&lt;end&gt;) here: LSTM {lstm}, bigram {bigram}.</source>
        <translation>此處的 P(&lt;end&gt;)：LSTM {lstm}，二元語法 {bigram}。</translation>
    </message>
    <message>
        <source>&lt;b&gt;&amp;lt;end&amp;gt; is a factor like any word&lt;/b&gt;: the probability that the text stops here. Of the {lines} paragraphs the models learnt from, {stop} end with . ! ? or a quote mark and only {word} right after a word.</source>
        <translation>&lt;b&gt;&amp;lt;end&amp;gt; 和任何詞一樣是一個因子&lt;/b&gt;：文字在這裡結束的機率。模型學習的 {lines} 個段落中，有 {stop} 個以 . ! ? 或引號結尾，只有 {word} 個緊接在詞之後結束。</translation>
    </message>
    <message>
        <source>(The text was cut after {n} tokens: its last factor is the &lt;end&gt; after the cut.)</source>
        <translation>（文字在 {n} 個詞元後被截斷：最後一個因子是截斷處之後的 &lt;end&gt;。）</translation>
    </message>
    <message>
        <source>&lt;b&gt;This text stops without a full stop&lt;/b&gt;, where the stories almost never stop: both models make &amp;lt;end&amp;gt; nearly impossible there. This one factor costs the LSTM {lstm} nats and the bigram {bigram}, and can decide which model wins. Add the full stop, or leave &amp;lt;end&amp;gt; out, to compare the words.</source>
        <translation>&lt;b&gt;這段文字沒有以句號結尾&lt;/b&gt;，而故事幾乎從不在這種地方結束：兩個模型都讓 &amp;lt;end&amp;gt; 在這裡幾乎不可能。光這一個因子就讓 LSTM 損失 {lstm} 奈特、二元語法損失 {bigram} 奈特，足以決定哪個模型勝出。加上句號，或不計入 &amp;lt;end&amp;gt;，就能只比較詞本身。</translation>
    </message>
    <message>
        <source>The LSTM also knows how far into a story the text is; the bigram sees only the last token.</source>
        <translation>LSTM 也知道這段文字在故事中進行到哪裡；二元語法模型只看到最後一個詞元。</translation>
    </message>
    <message>
        <source>Left out: the product covers the words alone.</source>
        <translation>不計入：乘積只包含詞本身。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Smoothing&lt;/b&gt;: every pair of words in this text was seen in training.</source>
        <translation>&lt;b&gt;平滑&lt;/b&gt;：這段文字中的每一對詞在訓練資料中都出現過。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Smoothing&lt;/b&gt;: the pair “{v} {w}” of this text never occurs in the training text (count 0), yet the bigram gives</source>
        <translation>&lt;b&gt;平滑&lt;/b&gt;：這段文字中的詞對「{v} {w}」在訓練文字中從未出現（次數為 0），但二元語法模型仍給出</translation>
    </message>
    <message>
        <source>&lt;b&gt;Smoothing&lt;/b&gt;: had the text said “{v} {w}” (a pair never seen in training, count 0), the bigram would still give</source>
        <translation>&lt;b&gt;平滑&lt;/b&gt;：假如文字寫的是「{v} {w}」（訓練資料中從未出現的詞對，次數為 0），二元語法模型仍會給出</translation>
    </message>
    <message>
        <source>P({w} | {v}) = D · N({v} •) / c({v}) · P&lt;sub&gt;cont&lt;/sub&gt;({w}) = {d} × {followers} / {count} × {cont} = &lt;b&gt;{p}&lt;/b&gt;. Kneser-Ney takes D = {d} from each pair counted after “{v}” ({count} times, {followers} different next words) and shares it by the continuation probability: “{w}” followed {n_cont} different words ({n_pairs} distinct pairs in all).</source>
        <translation>P({w} | {v}) = D · N({v} •) / c({v}) · P&lt;sub&gt;cont&lt;/sub&gt;({w}) = {d} × {followers} / {count} × {cont} = &lt;b&gt;{p}&lt;/b&gt;。Kneser-Ney 從「{v}」之後數到的每一對詞（共 {count} 次，{followers} 個不同的下一個詞）各扣掉 D = {d}，再依延續機率分配出去：「{w}」曾接在 {n_cont} 個不同的詞之後（全部共有 {n_pairs} 種不同的詞對）。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Smoothing&lt;/b&gt;: “{v}” was never followed by a word in training, so P({w} | {v}) is the continuation probability alone: &lt;b&gt;{p}&lt;/b&gt; (“{w}” came after {n_cont} different words).</source>
        <translation>&lt;b&gt;平滑&lt;/b&gt;：「{v}」在訓練資料中後面從未接過任何詞，所以 P({w} | {v}) 就只是延續機率：&lt;b&gt;{p}&lt;/b&gt;（「{w}」曾出現在 {n_cont} 個不同的詞之後）。</translation>
    </message>
    <message>
        <source>P under the LSTM</source>
        <translation>LSTM 給的 P</translation>
    </message>
    <message>
        <source>P under the bigram</source>
        <translation>二元語法給的 P</translation>
    </message>
    <message>
        <source>count of (previous word, word) in training</source>
        <translation>（前一個詞, 詞）在訓練資料中的次數</translation>
    </message>
    <message>
        <source>LSTM&apos;s top 5 there</source>
        <translation>LSTM 在該處的前 5 名</translation>
    </message>
    <message>
        <source>each new word with its probability: {words}</source>
        <translation>每個新詞與它的機率：{words}</translation>
    </message>
    <message>
        <source>forward h (has seen words 1…t)</source>
        <translation>正向 h（看過第 1…t 個詞）</translation>
    </message>
    <message>
        <source>backward h (has seen words t…T)</source>
        <translation>反向 h（看過第 t…T 個詞）</translation>
    </message>
    <message>
        <source>After “… {context}”, the LSTM expects next:</source>
        <translation>在「… {context}」之後，LSTM 預期下一個詞是：</translation>
    </message>
    <message>
        <source>Type the start of a sentence to see which word the LSTM expects next.</source>
        <translation>輸入一個句子的開頭，看看 LSTM 預期下一個詞是什麼。</translation>
    </message>
    <message>
        <source>next word</source>
        <translation>下一個詞</translation>
    </message>
    <message>
        <source>probability</source>
        <translation>機率</translation>
    </message>
    <message>
        <source>Coming in a later version.</source>
        <translation>將於之後的版本推出。</translation>
    </message>
    <message>
        <source>This lesson will show:</source>
        <translation>這一課將會展示：</translation>
    </message>
    <message>
        <source>The explanation on the right already follows the lecture.</source>
        <translation>右側的說明已依照課程內容撰寫。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Input sequence&lt;/b&gt; (one vector per time step)</source>
        <translation>&lt;b&gt;輸入序列&lt;/b&gt;（每個時間步一個向量）</translation>
    </message>
    <message>
        <source>Add step</source>
        <translation>新增一步</translation>
    </message>
    <message>
        <source>Remove step</source>
        <translation>移除一步</translation>
    </message>
    <message>
        <source>Reverse order</source>
        <translation>反轉順序</translation>
    </message>
    <message>
        <source>Lecture example</source>
        <translation>課程範例</translation>
    </message>
    <message>
        <source>Bi-directional RNN</source>
        <translation>雙向 RNN</translation>
    </message>
    <message>
        <source>h = W·x + W·a, y = W·h, then memory a ← h (dashed) · all weights 1 · no bias · linear</source>
        <translation>h = W·x + W·a，y = W·h，接著記憶 a ← h（虛線）· 權重全為 1 · 無偏差 · 線性</translation>
    </message>
    <message>
        <source>◀ Previous step</source>
        <translation>◀ 上一步</translation>
    </message>
    <message>
        <source>Next step ▶</source>
        <translation>下一步 ▶</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>正向</translation>
    </message>
    <message>
        <source>Backward</source>
        <translation>反向</translation>
    </message>
    <message>
        <source>The sentence input holds words; this toy network reads numbers. Edit the table, or type vectors in the input like 1,1; 1,1; 2,2.</source>
        <translation>句子輸入框裡是文字，但這個玩具網路讀的是數字。請編輯表格，或在輸入框中輸入像 1,1; 1,1; 2,2 這樣的向量。</translation>
    </message>
    <message>
        <source>Type vectors like 1,1; 1,1; 2,2 in the input, or edit the table.</source>
        <translation>在輸入框中輸入像 1,1; 1,1; 2,2 這樣的向量，或直接編輯表格。</translation>
    </message>
    <message>
        <source>Using the vectors typed in the input.</source>
        <translation>正在使用輸入框中輸入的向量。</translation>
    </message>
    <message>
        <source>step t={t}: {a}, {b} are not two numbers</source>
        <translation>時間步 t={t}：{a}、{b} 不是兩個數字</translation>
    </message>
    <message>
        <source>t = {t} of {steps}</source>
        <translation>t = {t}／共 {steps} 步</translation>
    </message>
    <message>
        <source>· step t={t}</source>
        <translation>· 時間步 t={t}</translation>
    </message>
    <message>
        <source>forward</source>
        <translation>正向</translation>
    </message>
    <message>
        <source>· step t={t} (runs from t={steps} down)</source>
        <translation>· 時間步 t={t}（從 t={steps} 往回跑）</translation>
    </message>
    <message>
        <source>backward</source>
        <translation>反向</translation>
    </message>
    <message>
        <source>&lt;b&gt;Bi-directional output&lt;/b&gt; y = y&lt;sub&gt;forward&lt;/sub&gt; + y&lt;sub&gt;backward&lt;/sub&gt; = {y}: it sees the whole sequence, before and after t={t}.</source>
        <translation>&lt;b&gt;雙向輸出&lt;/b&gt; y = y&lt;sub&gt;forward&lt;/sub&gt; + y&lt;sub&gt;backward&lt;/sub&gt; = {y}：它看得到整個序列，包括 t={t} 之前與之後。</translation>
    </message>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt;: h₁ = h₂ = x₁ + x₂ + a₁ + a₂ = {terms} = {total}; y₁ = y₂ = h₁ + h₂ = {double}</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt;：h₁ = h₂ = x₁ + x₂ + a₁ + a₂ = {terms} = {total}；y₁ = y₂ = h₁ + h₂ = {double}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt;: h = W·x + W·a = {h}, y = W·h = {y}, then memory a ← {h}</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt;：h = W·x + W·a = {h}，y = W·h = {y}，接著記憶 a ← {h}</translation>
    </message>
    <message>
        <source>input x</source>
        <translation>輸入 x</translation>
    </message>
    <message>
        <source>memory a (before)</source>
        <translation>記憶 a（之前）</translation>
    </message>
    <message>
        <source>hidden h</source>
        <translation>隱藏 h</translation>
    </message>
    <message>
        <source>output y</source>
        <translation>輸出 y</translation>
    </message>
    <message>
        <source>forward y</source>
        <translation>正向 y</translation>
    </message>
    <message>
        <source>backward memory</source>
        <translation>反向記憶</translation>
    </message>
    <message>
        <source>backward h</source>
        <translation>反向 h</translation>
    </message>
    <message>
        <source>bi-directional y</source>
        <translation>雙向 y</translation>
    </message>
    <message>
        <source>This sequence reads the same backwards, so reversing it changes nothing. Change one vector and press &lt;i&gt;Reverse order&lt;/i&gt; to see the order matter.</source>
        <translation>這個序列倒過來讀也一樣，所以反轉它不會改變任何結果。改一個向量，再按 &lt;i&gt;反轉順序&lt;/i&gt;，就能看出順序的影響。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Changing the sequence order changes the output.&lt;/b&gt; The same inputs reversed ({reversed}) give {theirs} instead of {ours}.</source>
        <translation>&lt;b&gt;改變序列的順序會改變輸出。&lt;/b&gt;相同的輸入反轉後（{reversed}）得到 {theirs}，而不是 {ours}。</translation>
    </message>
    <message>
        <source>Q, K, V</source>
        <translation>Q、K、V</translation>
    </message>
    <message>
        <source>Heads</source>
        <translation>注意力頭</translation>
    </message>
    <message>
        <source>All layers</source>
        <translation>所有層</translation>
    </message>
    <message>
        <source>Neuron view</source>
        <translation>神經元檢視</translation>
    </message>
    <message>
        <source>Positions</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Parallel vs sequential</source>
        <translation>平行與循序</translation>
    </message>
    <message>
        <source>Vision</source>
        <translation>視覺</translation>
    </message>
    <message>
        <source>Head:</source>
        <translation>頭：</translation>
    </message>
    <message>
        <source>Query token:</source>
        <translation>查詢詞元：</translation>
    </message>
    <message>
        <source>Self-attention by itself ignores order: shuffle the words and every word gets the same weights, as a bag of words does (“dog bites man” = “man bites dog”). So each position adds its own vector to the word&apos;s embedding: PE(pos, 2i) = sin(pos / 10000&lt;sup&gt;2i/d&lt;/sup&gt;), PE(pos, 2i+1) = cos(pos / 10000&lt;sup&gt;2i/d&lt;/sup&gt;). Left: the table (position × dimension). Right: PE(i) · PE(j): nearby positions are alike, far ones less so, the same for every sentence.</source>
        <translation>自注意力本身會忽略順序：把詞打亂，每個詞得到的權重還是一樣，就像詞袋模型（“dog bites man” = “man bites dog”）。因此每個位置都會把自己的向量加到該詞的詞嵌入上：PE(pos, 2i) = sin(pos / 10000&lt;sup&gt;2i/d&lt;/sup&gt;)，PE(pos, 2i+1) = cos(pos / 10000&lt;sup&gt;2i/d&lt;/sup&gt;)。左邊：編碼表（位置 × 維度）。右邊：PE(i) · PE(j)：相近的位置彼此相似，距離遠的較不相似，而且每個句子都一樣。</translation>
    </message>
    <message>
        <source>Self-attention is used in vision too. A small &lt;b&gt;SAGAN&lt;/b&gt; trained here on 8×8 handwritten digits draws a digit of each class from noise; between its convolutions, every pixel position attends to every other. Click a digit, then a pixel of the large one: orange shows where that pixel looks.</source>
        <translation>自注意力也用在視覺上。這裡用 8×8 手寫數字訓練了一個小型 &lt;b&gt;SAGAN&lt;/b&gt;，它從雜訊畫出每個類別的數字；在它的卷積層之間，每個像素位置都會對其他所有位置分配注意力。點選一個數字，再點大圖中的一個像素：橘色表示該像素在看哪裡。</translation>
    </message>
    <message>
        <source>Back to the bundled models</source>
        <translation>回到內附的模型</translation>
    </message>
    <message>
        <source>a tiny Transformer learning {task} (step {step})</source>
        <translation>正在學習{task}的迷你 Transformer（第 {step} 步）</translation>
    </message>
    <message>
        <source>Type a sentence (French; the model was trained on French) to see its attention.</source>
        <translation>輸入一個句子（法文；這個模型是用法文訓練的）來查看它的注意力。</translation>
    </message>
    <message>
        <source>These are the numbers of &lt;b&gt;{model}&lt;/b&gt;, the tiny Transformer trained in the Learn tab, on its own tokens (a left-to-right model: each position sees only those before it). &lt;b&gt;Back to the bundled models&lt;/b&gt; above returns to the lesson&apos;s Transformer.</source>
        <translation>這些是 &lt;b&gt;{model}&lt;/b&gt; 的數字：在「學習」分頁訓練的迷你 Transformer，讀的是它自己的詞元（由左到右的模型：每個位置只看得到它前面的位置）。按上方的&lt;b&gt;回到內附的模型&lt;/b&gt;可回到本課的 Transformer。</translation>
    </message>
    <message>
        <source>English text: these are the numbers of &lt;b&gt;{model}&lt;/b&gt;, the small BERT trained here on English stories (the Transformer of this lesson reads French). The same q, k, v and softmax, in its own layers and heads; [CLS] and [SEP] are the tokens BERT adds around a sentence.</source>
        <translation>英文文字：這些是 &lt;b&gt;{model}&lt;/b&gt; 的數值，也就是在本程式中用英文故事訓練的小型 BERT（這一課的 Transformer 讀的是法文）。同樣的 q、k、v 與 softmax，只是在它自己的層與頭中；[CLS] 和 [SEP] 是 BERT 加在句子前後的詞元。</translation>
    </message>
    <message>
        <source>The bundled Transformer reads French: {words} is not in its vocabulary, so it sees &amp;lt;unk&amp;gt;. The attention below is still the model&apos;s own computation; try a French sentence to see words attend to words.</source>
        <translation>內建的 Transformer 讀的是法文：{words} 不在它的詞彙表中，所以它看到的是 &amp;lt;unk&amp;gt;。下面的注意力仍然是模型自己的計算結果；試試法文句子，就能看到詞與詞之間的注意力。</translation>
    </message>
    <message>
        <source>The bundled Transformer reads French: {words} are not in its vocabulary, so it sees &amp;lt;unk&amp;gt;. The attention below is still the model&apos;s own computation; try a French sentence to see words attend to words.</source>
        <translation>內建的 Transformer 讀的是法文：{words} 不在它的詞彙表中，所以它看到的是 &amp;lt;unk&amp;gt;。下面的注意力仍然是模型自己的計算結果；試試法文句子，就能看到詞與詞之間的注意力。</translation>
    </message>
    <message>
        <source>Only the first {n} tokens are read; {more} more were cut.</source>
        <translation>只讀取前 {n} 個詞元；另外 {more} 個已被截掉。</translation>
    </message>
    <message>
        <source>Layer {layer}, head {head} of the encoder (d&lt;sub&gt;k&lt;/sub&gt; = {d_k}). Each row is a token. Q = XW&lt;sup&gt;Q&lt;/sup&gt;, K = XW&lt;sup&gt;K&lt;/sup&gt;, V = XW&lt;sup&gt;V&lt;/sup&gt;; scores q·k; divided by √d&lt;sub&gt;k&lt;/sub&gt; = {sqrt_d_k}; softmax along each row; Z = softmax(QK&lt;sup&gt;T&lt;/sup&gt;/√d&lt;sub&gt;k&lt;/sub&gt;)V. Below: all {heads} heads&apos; Z side by side, times W&lt;sup&gt;O&lt;/sup&gt;. Hover any cell for its number.</source>
        <translation>編碼器第 {layer} 層、第 {head} 個頭（d&lt;sub&gt;k&lt;/sub&gt; = {d_k}）。每一列是一個詞元。Q = XW&lt;sup&gt;Q&lt;/sup&gt;，K = XW&lt;sup&gt;K&lt;/sup&gt;，V = XW&lt;sup&gt;V&lt;/sup&gt;；分數 q·k；除以 √d&lt;sub&gt;k&lt;/sub&gt; = {sqrt_d_k}；沿每一列做 softmax；Z = softmax(QK&lt;sup&gt;T&lt;/sup&gt;/√d&lt;sub&gt;k&lt;/sub&gt;)V。下方：全部 {heads} 個頭的 Z 並排串接，再乘以 W&lt;sup&gt;O&lt;/sup&gt;。游標移到任一格上可看它的數值。</translation>
    </message>
    <message>
        <source>X: layer input ({n} per token)</source>
        <translation>X：該層的輸入（每個詞元 {n} 個數）</translation>
    </message>
    <message>
        <source>concat(Z of every head)</source>
        <translation>concat(每個頭的 Z)</translation>
    </message>
    <message>
        <source>concat(Z)·W^O: the block&apos;s output</source>
        <translation>concat(Z)·W^O：此區塊的輸出</translation>
    </message>
    <message>
        <source>Layer {layer}: each token on the left attends to the tokens on the right; one colour per head, darker = more weight. Hover a token on the left to see only its attention; untick heads to hide them.</source>
        <translation>第 {layer} 層：左邊的每個詞元對右邊的詞元分配注意力；每個頭一種顏色，顏色越深表示權重越大。游標移到左邊的詞元上可只看它的注意力；取消勾選可隱藏對應的頭。</translation>
    </message>
    <message>
        <source>Every encoder layer (rows) × every head (columns): {maps} attention maps for {n} tokens. Click one to open it large.</source>
        <translation>編碼器的每一層（列）× 每一個頭（欄）：{n} 個詞元共 {maps} 張注意力圖。點選其中一張可放大顯示。</translation>
    </message>
    <message>
        <source>head {head}</source>
        <translation>第 {head} 個頭</translation>
    </message>
    <message>
        <source>Layer {layer}, head {head}: the query of “{token}” meets every key. q × k elementwise, summed along the row, is the score; divided by √d&lt;sub&gt;k&lt;/sub&gt; and softmaxed it is the weight.</source>
        <translation>第 {layer} 層、第 {head} 個頭：「{token}」的 query 與每個 key 相遇。q × k 逐元素相乘，沿著列加總就是分數；除以 √d&lt;sub&gt;k&lt;/sub&gt; 再經過 softmax 就是權重。</translation>
    </message>
    <message>
        <source>query vector q</source>
        <translation>查詢向量 q</translation>
    </message>
    <message>
        <source>key vectors k</source>
        <translation>鍵向量 k</translation>
    </message>
    <message>
        <source>q × k (elementwise)</source>
        <translation>q × k（逐元素）</translation>
    </message>
    <message>
        <source>key</source>
        <translation>鍵（key）</translation>
    </message>
    <message>
        <source>An &lt;b&gt;RNN&lt;/b&gt; must compute h&lt;sub&gt;1&lt;/sub&gt;, then h&lt;sub&gt;2&lt;/sub&gt;, … : each state waits for the one before. &lt;b&gt;Self-attention&lt;/b&gt; computes every b&lt;sub&gt;i&lt;/sub&gt; from the whole input at once, so all of them run in parallel. A &lt;b&gt;CNN&lt;/b&gt; can also replace the RNN: each filter sees a few neighbouring words, and filters in higher layers see a longer span. Click a CNN unit.</source>
        <translation>&lt;b&gt;RNN&lt;/b&gt; 必須先算 h&lt;sub&gt;1&lt;/sub&gt;，再算 h&lt;sub&gt;2&lt;/sub&gt;，…：每個狀態都要等前一個算完。&lt;b&gt;自注意力&lt;/b&gt;則一次從整個輸入算出每個 b&lt;sub&gt;i&lt;/sub&gt;，所以全部可以平行計算。&lt;b&gt;CNN&lt;/b&gt; 也能取代 RNN：每個濾波器只看幾個相鄰的詞，而較高層的濾波器能看到較長的範圍。請點選一個 CNN 單元。</translation>
    </message>
    <message>
        <source>&lt;i&gt;(The first {n} tokens are drawn; {more} more are left out.)&lt;/i&gt;</source>
        <translation>&lt;i&gt;（只畫出前 {n} 個詞元；另外 {more} 個省略。）&lt;/i&gt;</translation>
    </message>
    <message>
        <source>PE(position, dimension)</source>
        <translation>PE(位置, 維度)</translation>
    </message>
    <message>
        <source>French → English, with attention</source>
        <translation>法文 → 英文，有注意力</translation>
    </message>
    <message>
        <source>French → English, without attention</source>
        <translation>法文 → 英文，無注意力</translation>
    </message>
    <message>
        <source>Chatbot (English), with attention</source>
        <translation>聊天機器人（英文），有注意力</translation>
    </message>
    <message>
        <source>Couplet (Chinese): line 1 → line 2, with attention</source>
        <translation>對對子（中文）：上句 → 下句，有注意力</translation>
    </message>
    <message>
        <source>Alignment</source>
        <translation>對齊</translation>
    </message>
    <message>
        <source>Step by step</source>
        <translation>逐步解碼</translation>
    </message>
    <message>
        <source>greedy</source>
        <translation>貪婪</translation>
    </message>
    <message>
        <source>sampling</source>
        <translation>取樣</translation>
    </message>
    <message>
        <source>beam search</source>
        <translation>集束搜尋</translation>
    </message>
    <message>
        <source>typed text</source>
        <translation>輸入的文字</translation>
    </message>
    <message>
        <source>Beam search</source>
        <translation>集束搜尋</translation>
    </message>
    <message>
        <source>Greedy</source>
        <translation>貪婪</translation>
    </message>
    <message>
        <source>Sample</source>
        <translation>取樣</translation>
    </message>
    <message>
        <source>All three</source>
        <translation>三種都跑</translation>
    </message>
    <message>
        <source>greedy, sampling and beam search from the same prompt, side by side in the tree</source>
        <translation>從同一個開頭跑貪婪、取樣與集束搜尋，並排列在樹中</translation>
    </message>
    <message>
        <source>new tokens:</source>
        <translation>新詞元數：</translation>
    </message>
    <message>
        <source>Clear the tree</source>
        <translation>清除這棵樹</translation>
    </message>
    <message>
        <source>mean log p</source>
        <translation>平均 log p</translation>
    </message>
    <message>
        <source>branch</source>
        <translation>分支</translation>
    </message>
    <message>
        <source>Click a token of the text: the model&apos;s alternatives at that step appear here.</source>
        <translation>點文字中的一個詞元：模型在那一步的其他選擇會出現在這裡。</translation>
    </message>
    <message>
        <source>{method}, fork at {n}: “{old}” → “{new}”</source>
        <translation>{method}，在第 {n} 步分岔：「{old}」→「{new}」</translation>
    </message>
    <message>
        <source>{method}: {n} tokens, mean log-probability {lp} per token. Click a token for its alternatives.</source>
        <translation>{method}：{n} 個詞元，每個詞元的平均對數機率 {lp}。點一個詞元看它的其他選擇。</translation>
    </message>
    <message>
        <source>click: fork here with “{token}”</source>
        <translation>點一下：在這裡改用「{token}」分岔</translation>
    </message>
    <message>
        <source>step {n}: the model&apos;s likeliest tokens (grey: the one taken)</source>
        <translation>第 {n} 步：模型最可能的詞元（灰色：實際採用的那個）</translation>
    </message>
    <message>
        <source>Step {n}: “&lt;b&gt;{token}&lt;/b&gt;” had probability {p}; entropy {h} bits. Click another token below to fork: the new branch keeps the text up to here, takes that token and goes on ({method}).</source>
        <translation>第 {n} 步：「&lt;b&gt;{token}&lt;/b&gt;」的機率是 {p}；熵 {h} 位元。點下方另一個詞元來分岔：新分支保留到這裡為止的文字，改用那個詞元，再繼續寫（{method}）。</translation>
    </message>
    <message>
        <source>With vs without attention</source>
        <translation>有無注意力比較</translation>
    </message>
    <message>
        <source>αₜ (sums to 1)</source>
        <translation>αₜ（總和為 1）</translation>
    </message>
    <message>
        <source>Force:</source>
        <translation>強制：</translation>
    </message>
    <message>
        <source>a word for this step</source>
        <translation>這一步要輸出的詞</translation>
    </message>
    <message>
        <source>Force</source>
        <translation>強制輸出</translation>
    </message>
    <message>
        <source>output this word at this step and let the model decode the rest (what-if)</source>
        <translation>在這一步輸出這個詞，讓模型解碼其餘部分（假設情境）</translation>
    </message>
    <message>
        <source>Undo forcing</source>
        <translation>取消強制</translation>
    </message>
    <message>
        <source>let the model choose every word again</source>
        <translation>讓模型重新選擇每一個詞</translation>
    </message>
    <message>
        <source>Beam width:</source>
        <translation>集束寬度：</translation>
    </message>
    <message>
        <source>source sentence length (words)</source>
        <translation>來源句長度（詞數）</translation>
    </message>
    <message>
        <source>a character for this step</source>
        <translation>這一步要輸出的字</translation>
    </message>
    <message>
        <source>Type a sentence to see which source words each output word looks at.</source>
        <translation>輸入一個句子，看看每個輸出詞在看哪些來源詞。</translation>
    </message>
    <message>
        <source>The chatbot falls short on this example: a fitting reply has {words}; this one does not.</source>
        <translation>聊天機器人在這個例子上表現不足：合適的回答會有 {words}，這個回答沒有。</translation>
    </message>
    <message>
        <source>The couplet model falls short on this example: a fitting second line has {words}.</source>
        <translation>對對子模型在這個例子上不夠好：合適的下句會有 {words}。</translation>
    </message>
    <message>
        <source>This model falls short on this example: a right translation has {words}; this one does not (a small model, trained on short sentences). Compare the models in the &lt;i&gt;With vs without attention&lt;/i&gt; tab.</source>
        <translation>這個模型在這個例子上表現不足：正確的翻譯會有 {words}，這個翻譯沒有（這是個在短句上訓練的小模型）。請在&lt;i&gt;有無注意力比較&lt;/i&gt;分頁比較各模型。</translation>
    </message>
    <message>
        <source>Not in the model&apos;s vocabulary, so the encoder reads &amp;lt;unk&amp;gt; for: {words}.</source>
        <translation>不在模型的詞彙表中，所以編碼器讀成 &amp;lt;unk&amp;gt;：{words}。</translation>
    </message>
    <message>
        <source>Chinese input: the couplet model is chosen (a couplet&apos;s first line → its second line). Choose another model above to switch back.</source>
        <translation>輸入的是中文：已改用對對子模型（上句 → 下句）。要換回來，請在上方選擇其他模型。</translation>
    </message>
    <message>
        <source>What-if: the first word is forced ({words}); the model decoded the rest. &lt;i&gt;Undo forcing&lt;/i&gt; in the step-by-step tab goes back.</source>
        <translation>假設情境：第一個詞是強制指定的（{words}）；其餘由模型解碼。在「逐步解碼」分頁按 &lt;i&gt;取消強制&lt;/i&gt; 即可恢復。</translation>
    </message>
    <message>
        <source>What-if: the first {n} words are forced ({words}); the model decoded the rest. &lt;i&gt;Undo forcing&lt;/i&gt; in the step-by-step tab goes back.</source>
        <translation>假設情境：前 {n} 個詞是強制指定的（{words}）；其餘由模型解碼。在「逐步解碼」分頁按 &lt;i&gt;取消強制&lt;/i&gt; 即可恢復。</translation>
    </message>
    <message>
        <source>(Reply, greedy; log P = {logp})</source>
        <translation>（回覆，貪婪解碼；log P = {logp}）</translation>
    </message>
    <message>
        <source>(Second line, greedy; log P = {logp})</source>
        <translation>（下句，貪婪解碼；log P = {logp}）</translation>
    </message>
    <message>
        <source>(Translation, greedy; log P = {logp})</source>
        <translation>（翻譯，貪婪解碼；log P = {logp}）</translation>
    </message>
    <message>
        <source>(Reply: beam search of {width}, no repeated trigram, re-ranked against replies to generic prompts. Greedy, followed in the tabs: “{greedy}”, log P = {logp})</source>
        <translation>（回答：寬度 {width} 的集束搜尋，不重複三元組，並以對一般提示的回答重新排序。貪婪解碼（各分頁所追蹤）：「{greedy}」，log P = {logp}）</translation>
    </message>
    <message>
        <source>&lt;b&gt;This model has no attention.&lt;/b&gt; Every output word is decoded from the same context vector h&lt;sup&gt;M&lt;/sup&gt;, the encoder&apos;s last state: there is nothing to align. Choose a model with attention.</source>
        <translation>&lt;b&gt;這個模型沒有注意力。&lt;/b&gt;每個輸出詞都是從同一個上下文向量 h&lt;sup&gt;M&lt;/sup&gt;（編碼器的最後一個狀態）解碼出來的：沒有東西可以對齊。請選擇有注意力的模型。</translation>
    </message>
    <message>
        <source>Row t is α&lt;sub&gt;t&lt;/sub&gt;: how much output word t looked at each source word&apos;s encoder state h&lt;sup&gt;i&lt;/sup&gt; (c&lt;sup&gt;t&lt;/sup&gt; = Σ&lt;sub&gt;i&lt;/sub&gt; α&lt;sub&gt;t&lt;/sub&gt;&lt;sup&gt;i&lt;/sup&gt; h&lt;sup&gt;i&lt;/sup&gt;). Each row sums to 1. Click a row to follow that step below and in &lt;i&gt;Step by step&lt;/i&gt;.</source>
        <translation>第 t 列是 α&lt;sub&gt;t&lt;/sub&gt;：第 t 個輸出詞對每個來源詞的編碼器狀態 h&lt;sup&gt;i&lt;/sup&gt; 看了多少（c&lt;sup&gt;t&lt;/sup&gt; = Σ&lt;sub&gt;i&lt;/sub&gt; α&lt;sub&gt;t&lt;/sub&gt;&lt;sup&gt;i&lt;/sup&gt; h&lt;sup&gt;i&lt;/sup&gt;）。每一列的總和為 1。點選一列，可在下方與 &lt;i&gt;逐步解碼&lt;/i&gt; 分頁中追蹤那一步。</translation>
    </message>
    <message>
        <source>In a couplet the lines run in parallel: character i of the second line answers character i of the first (日 ↔ 月, 山 ↔ 水), so look for the weights along the diagonal.</source>
        <translation>對聯的上下句是平行的：下句的第 i 個字對應上句的第 i 個字（日 ↔ 月、山 ↔ 水），所以請留意對角線上的權重。</translation>
    </message>
    <message>
        <source>On the validation couplets this model gives {same}% of a character&apos;s attention to the same position (uniform attention: {uniform}%) and {mark}% to the first line&apos;s ，, whose encoder state sums up the whole line.</source>
        <translation>在驗證用的對聯上，這個模型把每個字 {same}% 的注意力放在同一位置（均勻注意力為 {uniform}%），{mark}% 放在上句的「，」：它的編碼器狀態概括了整句。</translation>
    </message>
    <message>
        <source>attention α</source>
        <translation>注意力 α</translation>
    </message>
    <message>
        <source>after “{words}”</source>
        <translation>在「{words}」之後</translation>
    </message>
    <message>
        <source>starting from &amp;lt;start&amp;gt; and the context vector</source>
        <translation>從 &amp;lt;start&amp;gt; 與上下文向量開始</translation>
    </message>
    <message>
        <source>&lt;b&gt;Step {t} of {steps}&lt;/b&gt;: {before}, the decoder outputs &lt;b&gt;{word}&lt;/b&gt; (p = {p}, forced by you).</source>
        <translation>&lt;b&gt;第 {t} 步／共 {steps} 步&lt;/b&gt;：{before}，解碼器輸出 &lt;b&gt;{word}&lt;/b&gt;（p = {p}，由你強制指定）。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Step {t} of {steps}&lt;/b&gt;: {before}, the decoder outputs &lt;b&gt;{word}&lt;/b&gt; (p = {p}).</source>
        <translation>&lt;b&gt;第 {t} 步／共 {steps} 步&lt;/b&gt;：{before}，解碼器輸出 &lt;b&gt;{word}&lt;/b&gt;（p = {p}）。</translation>
    </message>
    <message>
        <source>Output: {words}&amp;nbsp;&amp;nbsp;(forced words underlined)</source>
        <translation>輸出：{words}&amp;nbsp;&amp;nbsp;（有底線的是強制指定的詞）</translation>
    </message>
    <message>
        <source>α&lt;sub&gt;{t}&lt;/sub&gt; over the source words</source>
        <translation>α&lt;sub&gt;{t}&lt;/sub&gt; 在各來源詞上的分布</translation>
    </message>
    <message>
        <source>no attention: only h&lt;sup&gt;M&lt;/sup&gt;</source>
        <translation>沒有注意力：只有 h&lt;sup&gt;M&lt;/sup&gt;</translation>
    </message>
    <message>
        <source>This model has no attention weights: every step reads the same context vector hᴹ, the encoder&apos;s last state (below).</source>
        <translation>這個模型沒有注意力權重：每一步都讀同一個上下文向量 hᴹ，也就是編碼器的最後一個狀態（見下方）。</translation>
    </message>
    <message>
        <source>The {n} most probable words at step {t} (double-click one to force it):</source>
        <translation>第 {t} 步機率最高的 {n} 個詞（雙擊一個詞即可強制輸出它）：</translation>
    </message>
    <message>
        <source>context vector cᵗ = Σ αₜⁱ hⁱ</source>
        <translation>上下文向量 cᵗ = Σ αₜⁱ hⁱ</translation>
    </message>
    <message>
        <source>context vector hᴹ (fixed)</source>
        <translation>上下文向量 hᴹ（固定）</translation>
    </message>
    <message>
        <source>({n} numbers)</source>
        <translation>（{n} 個數）</translation>
    </message>
    <message>
        <source>decoder state sₜ ({n} numbers)</source>
        <translation>解碼器狀態 sₜ（{n} 個數）</translation>
    </message>
    <message>
        <source>Beam ({width}): &lt;b&gt;{output}&lt;/b&gt; (log P = {logp}, per word {per_word}). Greedy: {greedy} (log P = {greedy_logp}).</source>
        <translation>集束（{width}）：&lt;b&gt;{output}&lt;/b&gt;（log P = {logp}，每詞 {per_word}）。貪婪解碼：{greedy}（log P = {greedy_logp}）。</translation>
    </message>
    <message>
        <source>The same words.</source>
        <translation>兩者的詞相同。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Beam search found a different output.&lt;/b&gt;</source>
        <translation>&lt;b&gt;集束搜尋找到了不同的輸出。&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Each step keeps the {width} best partial outputs by total log P; {dropped} candidates were dropped. Boxed twice: finished (&amp;lt;end&amp;gt;).</source>
        <translation>每一步依總 log P 保留最好的 {width} 個部分輸出；共捨棄了 {dropped} 個候選。雙框：已結束（&amp;lt;end&amp;gt;）。</translation>
    </message>
    <message>
        <source>The comparison is between the two translators (with and without attention): choose a French → English model above.</source>
        <translation>這裡比較的是兩個翻譯模型（有注意力與無注意力）：請在上方選擇一個法文 → 英文的模型。</translation>
    </message>
    <message>
        <source>validation BLEU {bleu}</source>
        <translation>驗證集 BLEU {bleu}</translation>
    </message>
    <message>
        <source>no BLEU in its card</source>
        <translation>模型卡中沒有 BLEU</translation>
    </message>
    <message>
        <source>Without attention the decoder must get everything from one fixed context vector. BLEU by source length on the validation split, from the model cards (greedy decoding):</source>
        <translation>沒有注意力時，解碼器必須從一個固定的上下文向量取得所有資訊。以下是驗證集上依來源句長度分組的 BLEU，取自模型卡（貪婪解碼）：</translation>
    </message>
    <message>
        <source>{bin} words (n={n})</source>
        <translation>{bin} 個詞（n={n}）</translation>
    </message>
    <message>
        <source>this model has no attention to export</source>
        <translation>這個模型沒有注意力可以匯出</translation>
    </message>
    <message>
        <source>the comparison is for the translators</source>
        <translation>比較只適用於翻譯模型</translation>
    </message>
    <message>
        <source>Encoder</source>
        <translation>編碼器</translation>
    </message>
    <message>
        <source>Decoder (masked)</source>
        <translation>解碼器（遮罩）</translation>
    </message>
    <message>
        <source>Cross-attention</source>
        <translation>交叉注意力</translation>
    </message>
    <message>
        <source>French → English (transformer)</source>
        <translation>法文 → 英文（transformer）</translation>
    </message>
    <message>
        <source>couplet writer 對對子 (couplet-transformer)</source>
        <translation>對對子（couplet-transformer）</translation>
    </message>
    <message>
        <source>French token</source>
        <translation>法文詞元</translation>
    </message>
    <message>
        <source>English word</source>
        <translation>英文字</translation>
    </message>
    <message>
        <source>first-line character</source>
        <translation>上聯的字</translation>
    </message>
    <message>
        <source>second-line character</source>
        <translation>下聯的字</translation>
    </message>
    <message>
        <source>average of the heads</source>
        <translation>各頭平均</translation>
    </message>
    <message>
        <source>this tab as PNG or SVG, or its attention weights as CSV</source>
        <translation>將此分頁匯出為 PNG 或 SVG 圖檔，或將其注意力權重匯出為 CSV</translation>
    </message>
    <message>
        <source>Not among the couplet writer&apos;s characters, read as &amp;lt;unk&amp;gt;: {words}.</source>
        <translation>不在對對子模型的字表中，讀成 &amp;lt;unk&amp;gt;：{words}。</translation>
    </message>
    <message>
        <source>Not in the model&apos;s (French) vocabulary, read as &amp;lt;unk&amp;gt;: {words}.</source>
        <translation>不在模型的（法文）詞彙表中，讀成 &amp;lt;unk&amp;gt;：{words}。</translation>
    </message>
    <message>
        <source>layer {layer}, average of the heads</source>
        <translation>第 {layer} 層，各頭平均</translation>
    </message>
    <message>
        <source>layer {layer}, head {head}</source>
        <translation>第 {layer} 層，第 {head} 個頭</translation>
    </message>
    <message>
        <source>Encoder self-attention, {which}: each {source} (row) looks at every {source} (column), all at once.</source>
        <translation>編碼器自注意力，{which}：每個{source}（列）同時看所有的{source}（欄）。</translation>
    </message>
    <message>
        <source>Decoder masked self-attention, {which}: the row that predicts each {output} sees only &amp;lt;start&amp;gt; and the outputs before it; the cells above the diagonal are exactly 0.</source>
        <translation>解碼器遮罩自注意力，{which}：預測每個{output}的那一列只看得到 &amp;lt;start&amp;gt; 和它之前的輸出；對角線以上的格子正好是 0。</translation>
    </message>
    <message>
        <source>Encoder-decoder attention, {which}: for each {output} (row), the weights over the encoder&apos;s {source}s (columns).</source>
        <translation>編碼器—解碼器注意力，{which}：每個{output}（列）對編碼器各個{source}（欄）的權重。</translation>
    </message>
    <message>
        <source>In a couplet character i answers character i: on the validation couplets, head {head} of layer {layer} gives {same}% of a character&apos;s attention to the same position (uniform: {uniform}%).</source>
        <translation>對聯裡第 i 個字對第 i 個字：在驗證用的對聯上，第 {layer} 層的第 {head} 個頭把一個字 {same}% 的注意力給同一個位置（平均分配：{uniform}%）。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Key/value cache&lt;/b&gt;: per layer the decoder keeps the keys and values of the positions read so far ({n} at this step, one row more at each; the lower map is the new query against them) and those of the {m} {source}s (cross-attention: made once, at step 1). This step: {a} multiply-adds with the cache, {b} recomputing; the whole output: {ta} against {tb} ({saved} of the work saved).</source>
        <translation>&lt;b&gt;鍵／值快取&lt;/b&gt;：每一層解碼器都保留到目前為止讀過的位置的鍵和值（這一步有 {n} 個，每步多一列；下方的圖是新的查詢對它們的注意力），以及 {m} 個{source}的鍵和值（交叉注意力：在第 1 步算一次）。這一步：用快取 {a} 次乘加，重算 {b} 次；整個輸出：{ta} 對 {tb}（省下 {saved} 的計算）。</translation>
    </message>
    <message>
        <source>layer {layer}: each head&apos;s attention to the {source}s at step {t}</source>
        <translation>第 {layer} 層：第 {t} 步每個頭對各個{source}的注意力</translation>
    </message>
    <message>
        <source>layer {layer}: masked self-attention over the outputs so far</source>
        <translation>第 {layer} 層：對目前為止輸出的遮罩自注意力</translation>
    </message>
    <message>
        <source>next character</source>
        <translation>下一個字</translation>
    </message>
    <message>
        <source>attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>The decoder said &amp;lt;end&amp;gt; at once: nothing to step through.</source>
        <translation>解碼器一開始就輸出了 &amp;lt;end&amp;gt;：沒有步驟可以逐步查看。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Step {t} of {steps}&lt;/b&gt;: the decoder reads “{words}” and outputs &lt;b&gt;{word}&lt;/b&gt; (p = {p}).</source>
        <translation>&lt;b&gt;第 {t} 步／共 {steps} 步&lt;/b&gt;：解碼器讀入「{words}」，輸出 &lt;b&gt;{word}&lt;/b&gt;（p = {p}）。</translation>
    </message>
    <message>
        <source>Output so far: &amp;lt;start&amp;gt; {words} (grey: not decoded yet)</source>
        <translation>目前的輸出：&amp;lt;start&amp;gt; {words}（灰色：尚未解碼）</translation>
    </message>
    <message>
        <source>Projection:</source>
        <translation>投影：</translation>
    </message>
    <message>
        <source>PCA is instant; t-SNE and UMAP run in the background (progress and Cancel in the status bar) and are kept for the rest of the session</source>
        <translation>PCA 會立即完成；t-SNE 與 UMAP 在背景執行（進度與「取消」在狀態列），算好後會保留到本次使用結束</translation>
    </message>
    <message>
        <source>Beside:</source>
        <translation>並排：</translation>
    </message>
    <message>
        <source>show a second model&apos;s map beside the first; the two maps are linked</source>
        <translation>在第一張圖旁邊顯示第二個模型的圖；兩張圖互相連動</translation>
    </message>
    <message>
        <source>Open vectors file…</source>
        <translation>開啟向量檔…</translation>
    </message>
    <message>
        <source>word2vec or GloVe vectors: .txt/.vec (with or without a header line) or .bin</source>
        <translation>word2vec 或 GloVe 向量：.txt／.vec（有無標頭行皆可）或 .bin</translation>
    </message>
    <message>
        <source>the map as PNG or SVG, or its coordinates as CSV</source>
        <translation>將這張圖匯出為 PNG 或 SVG，或將其座標匯出為 CSV</translation>
    </message>
    <message>
        <source>Find a word…</source>
        <translation>尋找詞…</translation>
    </message>
    <message>
        <source>One-hot vs dense</source>
        <translation>One-hot 與稠密向量</translation>
    </message>
    <message>
        <source>Click a word in the map, or find one, to list its nearest neighbours.</source>
        <translation>在圖中點選一個詞，或搜尋一個詞，即可列出它的最近鄰。</translation>
    </message>
    <message>
        <source>Neighbours</source>
        <translation>最近鄰</translation>
    </message>
    <message>
        <source>Solve</source>
        <translation>求解</translation>
    </message>
    <message>
        <source>a is to b as c is to ?  The answer is the word nearest to b − a + c (by cosine), a, b and c excluded. The arrows show a → b and c → the answer.</source>
        <translation>a 之於 b，如同 c 之於 ?  答案是最接近 b − a + c 的詞（以餘弦計算），不含 a、b、c 本身。箭頭表示 a → b 與 c → 答案。</translation>
    </message>
    <message>
        <source>Analogy</source>
        <translation>類比</translation>
    </message>
    <message>
        <source>Word 1:</source>
        <translation>詞 1：</translation>
    </message>
    <message>
        <source>Word 2:</source>
        <translation>詞 2：</translation>
    </message>
    <message>
        <source>Probe words k:</source>
        <translation>探測詞 k：</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>計數</translation>
    </message>
    <message>
        <source>the pair with which this corpus shows the lecture&apos;s pattern</source>
        <translation>本語料用這一對詞呈現課堂的規律</translation>
    </message>
    <message>
        <source>{word1} / {word2} (the lecture)</source>
        <translation>{word1} / {word2}（課堂）</translation>
    </message>
    <message>
        <source>The lecture&apos;s table (the GloVe paper&apos;s Table 1, {tokens} words):</source>
        <translation>課堂的表格（GloVe 論文的表 1，{tokens} 個詞）：</translation>
    </message>
    <message>
        <source>GloVe ratio</source>
        <translation>GloVe 比值</translation>
    </message>
    <message>
        <source>{projection} of {model}</source>
        <translation>{model} 的 {projection}</translation>
    </message>
    <message>
        <source>t-SNE keeps near neighbours near; distances between far-apart groups mean little.</source>
        <translation>t-SNE 會讓近鄰保持相近；相距很遠的群組之間的距離沒有太大意義。</translation>
    </message>
    <message>
        <source>UMAP keeps neighbourhoods and some of the larger structure.</source>
        <translation>UMAP 會保留鄰近關係，以及部分較大範圍的結構。</translation>
    </message>
    <message>
        <source>The two axes keep {first}% and {second}% of the variance.</source>
        <translation>兩個軸分別保留了 {first}% 與 {second}% 的變異量。</translation>
    </message>
    <message>
        <source>{projection} is being computed (progress in the status bar); PCA meanwhile.</source>
        <translation>{projection} 計算中（進度顯示在狀態列）；在此之前先顯示 PCA。</translation>
    </message>
    <message>
        <source>All {words} words of {model}, projected from {dims} dimensions to 2 by {projection}.</source>
        <translation>{model} 的全部 {words} 個詞，以 {projection} 從 {dims} 維投影到 2 維。</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>not in the vocabulary</source>
        <translation>不在詞彙表中</translation>
    </message>
    <message>
        <source>index</source>
        <translation>索引</translation>
    </message>
    <message>
        <source>Red: the words you typed.</source>
        <translation>紅色：你輸入的詞。</translation>
    </message>
    <message>
        <source>Tang poems: skip-gram (characters, prediction)</source>
        <translation>唐詩：skip-gram（字，預測式）</translation>
    </message>
    <message>
        <source>Tang poems: PPMI + SVD (characters, counting)</source>
        <translation>唐詩：PPMI + SVD（字，計數式）</translation>
    </message>
    <message>
        <source>an English example (the English models)</source>
        <translation>英文範例（英文模型）</translation>
    </message>
    <message>
        <source>a Chinese example (the Tang-poem character models)</source>
        <translation>中文範例（唐詩的字向量模型）</translation>
    </message>
    <message>
        <source>This table is English only: it counts the words of the English corpus behind the English embeddings and has no counts of the Tang poems&apos; characters, whichever model is chosen.</source>
        <translation>此表只有英文：它計數的是英文詞向量背後那份英文語料中的詞，沒有唐詩裡字的計數，不論選的是哪個模型。</translation>
    </message>
    <message>
        <source>Chinese text: showing the Tang-poem character embeddings; choose another model to switch back.</source>
        <translation>中文文字：改為顯示唐詩的字向量；選擇其他模型即可切換回去。</translation>
    </message>
    <message>
        <source>All {words} characters of {model}, projected from {dims} dimensions to 2 by {projection}.</source>
        <translation>{model} 的全部 {words} 個字，以 {projection} 從 {dims} 維投影到 2 維。</translation>
    </message>
    <message>
        <source>Red: the characters you typed.</source>
        <translation>紅色：你輸入的字。</translation>
    </message>
    <message>
        <source>Hover a dot for its word; click it for its neighbours; drag to pan, wheel to zoom.</source>
        <translation>滑鼠停在點上可看它的詞；點一下列出它的近鄰；拖曳可平移，滾輪可縮放。</translation>
    </message>
    <message>
        <source>character</source>
        <translation>字</translation>
    </message>
    <message>
        <source>one-hot</source>
        <translation>one-hot</translation>
    </message>
    <message>
        <source>dense</source>
        <translation>稠密</translation>
    </message>
    <message>
        <source>One-hot: each character is a vector of {n} numbers, all 0 but a single 1 at the character&apos;s index; every two characters are equally far apart. Dense: {dims} numbers learnt from the Tang poems, so that characters used alike get similar vectors: a dimension reduction.</source>
        <translation>One-hot：每個字都是一個有 {n} 個數的向量，除了該字索引位置上的一個 1 以外全是 0；任兩個字之間的距離都一樣。稠密向量：從唐詩中學到的 {dims} 個數，讓用法相近的字得到相似的向量：這是一種降維。</translation>
    </message>
    <message>
        <source>One-hot: each word is a vector of {n} numbers, all 0 but a single 1 at the word&apos;s index; every two words are equally far apart. Dense: {dims} numbers learnt from the corpus, so that words used alike get similar vectors: a dimension reduction.</source>
        <translation>One-hot：每個詞都是一個有 {n} 個數的向量，除了該詞索引位置上的一個 1 以外全是 0；任兩個詞之間的距離都一樣。稠密向量：從語料中學到的 {dims} 個數，讓用法相近的詞得到相似的向量：這是一種降維。</translation>
    </message>
    <message>
        <source>Not in the vocabulary: {words}.</source>
        <translation>不在詞彙表中：{words}。</translation>
    </message>
    <message>
        <source>Only the first {n} words are shown ({more} more left out).</source>
        <translation>只顯示前 {n} 個詞（另外 {more} 個省略）。</translation>
    </message>
    <message>
        <source>Type a sentence to see its words.</source>
        <translation>輸入一個句子來查看它的詞。</translation>
    </message>
    <message>
        <source>dense vectors (a row per character)</source>
        <translation>稠密向量（每個字一列）</translation>
    </message>
    <message>
        <source>dense vectors (a row per word)</source>
        <translation>稠密向量（每個詞一列）</translation>
    </message>
    <message>
        <source>Type a few sentences, one per line.</source>
        <translation>輸入幾個句子，每行一句。</translation>
    </message>
    <message>
        <source>dimension</source>
        <translation>維度</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>訓練</translation>
    </message>
    <message>
        <source>Learn</source>
        <translation>學習</translation>
    </message>
    <message>
        <source>reverse</source>
        <translation>反轉</translation>
    </message>
    <message>
        <source>copy</source>
        <translation>複製</translation>
    </message>
    <message>
        <source>sort</source>
        <translation>排序</translation>
    </message>
    <message>
        <source>induction (what came after?)</source>
        <translation>歸納（後面接什麼？）</translation>
    </message>
    <message>
        <source>French → English</source>
        <translation>法文 → 英文</translation>
    </message>
    <message>
        <source>Task:</source>
        <translation>任務：</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>開始</translation>
    </message>
    <message>
        <source>train chunk after chunk until Pause</source>
        <translation>一段接一段地訓練，直到按暫停</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暫停</translation>
    </message>
    <message>
        <source>stop after the chunk under way</source>
        <translation>跑完正在進行的這一段後停止</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>一步</translation>
    </message>
    <message>
        <source>train {n} steps, then wait</source>
        <translation>訓練 {n} 步，然後等待</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重設</translation>
    </message>
    <message>
        <source>start again from random weights</source>
        <translation>從隨機權重重新開始</translation>
    </message>
    <message>
        <source>Press Start: the model begins from random weights.</source>
        <translation>按開始：模型從隨機權重出發。</translation>
    </message>
    <message>
        <source>Open in the other tabs</source>
        <translation>在其他分頁開啟</translation>
    </message>
    <message>
        <source>show this model&apos;s q, k, v, heads and neurons on its test input in the lesson&apos;s other tabs</source>
        <translation>在本課的其他分頁顯示這個模型在測試輸入上的 q、k、v、注意力頭與神經元</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>儲存…</translation>
    </message>
    <message>
        <source>save the trained model (safetensors and its settings as JSON)</source>
        <translation>儲存訓練好的模型（safetensors 權重與 JSON 設定）</translation>
    </message>
    <message>
        <source>Width:</source>
        <translation>寬度：</translation>
    </message>
    <message>
        <source>Layers:</source>
        <translation>層數：</translation>
    </message>
    <message>
        <source>Heads:</source>
        <translation>頭數：</translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <translation>學習率：</translation>
    </message>
    <message>
        <source>Batch:</source>
        <translation>批次大小：</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>損失</translation>
    </message>
    <message>
        <source>accuracy, score</source>
        <translation>準確率、分數</translation>
    </message>
    <message>
        <source>test accuracy</source>
        <translation>測試準確率</translation>
    </message>
    <message>
        <source>best head score</source>
        <translation>最佳注意力頭分數</translation>
    </message>
    <message>
        <source>Replay:</source>
        <translation>重播：</translation>
    </message>
    <message>
        <source>step {step}</source>
        <translation>第 {step} 步</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步數</translation>
    </message>
    <message>
        <source>Save the trained model in</source>
        <translation>把訓練好的模型儲存到</translation>
    </message>
    <message>
        <source>saving the trained model</source>
        <translation>正在儲存訓練好的模型</translation>
    </message>
    <message>
        <source>Saved: {path}</source>
        <translation>已儲存：{path}</translation>
    </message>
    <message>
        <source>Settings changed: the next Start or Step begins again from random weights.</source>
        <translation>設定已改變：下一次開始或一步會從隨機權重重新開始。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Watch a Transformer learn.&lt;/b&gt; {hint}. Each map: one head, queries down, keys across.</source>
        <translation>&lt;b&gt;看 Transformer 學習。&lt;/b&gt;{hint}。每張圖：一個注意力頭，縱軸是查詢，橫軸是鍵。</translation>
    </message>
    <message>
        <source>Paused at step {step}.</source>
        <translation>暫停在第 {step} 步。</translation>
    </message>
    <message>
        <source>Reset: the next Start begins from random weights.</source>
        <translation>已重設：下一次開始會從隨機權重出發。</translation>
    </message>
    <message>
        <source>training a tiny Transformer</source>
        <translation>正在訓練一個迷你 Transformer</translation>
    </message>
    <message>
        <source>Step {step}: loss {loss}, test accuracy {accuracy} ({rate} steps/s on {device}).</source>
        <translation>第 {step} 步：損失 {loss}，測試準確率 {accuracy}（在 {device} 上每秒 {rate} 步）。</translation>
    </message>
    <message>
        <source>Head scores: this task has no ideal pattern to compare with.</source>
        <translation>注意力頭分數：這個任務沒有可比較的理想模式。</translation>
    </message>
    <message>
        <source>diagonal-ness</source>
        <translation>對角程度</translation>
    </message>
    <message>
        <source>attention on the ideal key</source>
        <translation>放在理想鍵上的注意力</translation>
    </message>
    <message>
        <source>layer {layer}:</source>
        <translation>第 {layer} 層：</translation>
    </message>
    <message>
        <source>pattern formed</source>
        <translation>模式已形成</translation>
    </message>
    <message>
        <source>not formed yet (above {t} counts)</source>
        <translation>尚未形成（超過 {t} 才算）</translation>
    </message>
    <message>
        <source>no ideal known: how diagonal the best head is</source>
        <translation>沒有已知的理想模式：最佳注意力頭有多接近對角</translation>
    </message>
    <message>
        <source>Head scores at step {step} ({what}): {rows}. Best: layer {layer}, head {head}, {score} — {verdict}.</source>
        <translation>第 {step} 步的注意力頭分數（{what}）：{rows}。最佳：第 {layer} 層第 {head} 個頭，{score}——{verdict}。</translation>
    </message>
    <message>
        <source>Test input: {tokens}&lt;br&gt;Predicted answer (probability): {answer}</source>
        <translation>測試輸入：{tokens}&lt;br&gt;預測的答案（機率）：{answer}</translation>
    </message>
    <message>
        <source>Train a tiny model on the text above and watch its word vectors move: words used in the same contexts drift together.</source>
        <translation>用上面的文字訓練一個很小的模型，看看它的詞向量如何移動：在相同上下文中出現的詞會逐漸靠攏。</translation>
    </message>
    <message>
        <source>Live training</source>
        <translation>即時訓練</translation>
    </message>
    <message>
        <source>One-hot</source>
        <translation>One-hot</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>訓練</translation>
    </message>
    <message>
        <source>live training</source>
        <translation>即時訓練</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>File: {name}</source>
        <translation>檔案：{name}</translation>
    </message>
    <message>
        <source>Open word vectors</source>
        <translation>開啟詞向量</translation>
    </message>
    <message>
        <source>Word vectors (*.txt *.vec *.bin);;All files (*)</source>
        <translation>詞向量 (*.txt *.vec *.bin);;所有檔案 (*)</translation>
    </message>
    <message>
        <source>Export the map</source>
        <translation>匯出這張圖</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg);;Coordinates (*.csv)</source>
        <translation>PNG 圖片 (*.png);;SVG 圖片 (*.svg);;座標 (*.csv)</translation>
    </message>
    <message>
        <source>Type three words: a is to b as c is to ?</source>
        <translation>請輸入三個詞：a 之於 b，如同 c 之於 ?</translation>
    </message>
    <message>
        <source>Type two words and at least one probe word.</source>
        <translation>請輸入兩個詞，以及至少一個探測詞。</translation>
    </message>
    <message>
        <source>Red: “{word}” and its {n} nearest neighbours.</source>
        <translation>紅色：「{word}」和它最近的 {n} 個近鄰。</translation>
    </message>
    <message>
        <source>Done: {steps} steps, loss {first} → {last}.</source>
        <translation>完成：共 {steps} 步，損失 {first} → {last}。</translation>
    </message>
    <message>
        <source>answer</source>
        <translation>答案</translation>
    </message>
    <message>
        <source>cosine</source>
        <translation>餘弦</translation>
    </message>
    <message>
        <source>In all {dims} dimensions the arrows {a} → {b} and {c} → {answer} have cosine {cosine} (1 = parallel). The map flattens them to 2 dimensions, so there they need not look parallel.</source>
        <translation>在完整的 {dims} 維中，箭頭 {a} → {b} 與 {c} → {answer} 的餘弦是 {cosine}（1 = 平行）。這張圖把它們壓平到 2 維，所以在圖上不一定看起來平行。</translation>
    </message>
    <message>
        <source>Red: {a}, {b}, {c} and the answer {answer}; arrows {a} → {b} and {c} → {answer}.</source>
        <translation>紅色：{a}、{b}、{c} 和答案 {answer}；箭頭為 {a} → {b} 和 {c} → {answer}。</translation>
    </message>
    <message>
        <source>Nearest neighbours of “{word}” in {model} (cosine similarity):</source>
        <translation>「{word}」在 {model} 中的最近鄰（餘弦相似度）：</translation>
    </message>
    <message>
        <source>Nearest neighbours of “{word}”: {first} beside {second}.</source>
        <translation>「{word}」的最近鄰：{first} 與 {second} 並排比較。</translation>
    </message>
    <message>
        <source>{ratio}, large</source>
        <translation>{ratio}，大</translation>
    </message>
    <message>
        <source>{ratio}, small</source>
        <translation>{ratio}，小</translation>
    </message>
    <message>
        <source>{ratio}, near 1</source>
        <translation>{ratio}，接近 1</translation>
    </message>
    <message>
        <source>{ratio}</source>
        <translation>{ratio}</translation>
    </message>
    <message>
        <source>too rare</source>
        <translation>太罕見</translation>
    </message>
    <message>
        <source>{p} ({n}×)</source>
        <translation>{p} ({n}×)</translation>
    </message>
    <message>
        <source>ratio</source>
        <translation>比值</translation>
    </message>
    <message>
        <source>This corpus ({tokens} words), within {window} words on either side; (n×): times seen:</source>
        <translation>本語料（{tokens} 個詞），前後各 {window} 個詞之內；(n×)：出現次數：</translation>
    </message>
    <message>
        <source>All the shared English text: TinyStories, Project Gutenberg books, WikiText-2, Tiny Shakespeare</source>
        <translation>所有共用的英文文字：TinyStories、古騰堡計畫的書、WikiText-2、Tiny Shakespeare</translation>
    </message>
    <message>
        <source>A ratio far above 1 marks a word that goes with {word1}, far below 1 one that goes with {word2}, near 1 one that relates to both or neither: GloVe fits its vectors to these log counts.</source>
        <translation>比值遠大於 1，表示這個詞與 {word1} 相伴；遠小於 1，表示與 {word2} 相伴；接近 1，表示與兩者都相關或都無關：GloVe 讓向量去擬合這些次數的對數。</translation>
    </message>
    <message>
        <source>Ice and steam are rare in these stories and classics: “{word2}” has {n} co-occurrences in all, so most of the lecture&apos;s probe words are seen near it fewer than {min} times. The lecture&apos;s numbers come from {big} words.</source>
        <translation>ice 和 steam 在這些故事與經典作品裡很少見：「{word2}」總共只有 {n} 次共現，所以課堂的探測詞大多在它附近出現不到 {min} 次。課堂的數字來自 {big} 個詞。</translation>
    </message>
    <message>
        <source>Why {word1} and {word2}: here they show the lecture&apos;s pattern from dozens of sightings or more: {k1} goes with {word1} ({r1}), {k2} with {word2} ({r2}), {k3} with both ({r3}), {k4} with neither ({r4}).</source>
        <translation>為什麼用 {word1} 和 {word2}：在這裡它們以數十次以上的出現呈現課堂的規律：{k1} 與 {word1} 相伴（{r1}），{k2} 與 {word2} 相伴（{r2}），{k3} 與兩者都相關（{r3}），{k4} 與兩者都無關（{r4}）。</translation>
    </message>
    <message>
        <source>(The slower projection was cancelled.)</source>
        <translation>（較慢的投影已取消。）</translation>
    </message>
    <message>
        <source>Type a sentence (or one document per line)…</source>
        <translation>輸入一個句子（或每行一份文件）…</translation>
    </message>
    <message>
        <source>Model: {name}</source>
        <translation>模型：{name}</translation>
    </message>
    <message>
        <source>Device: {name}</source>
        <translation>裝置：{name}</translation>
    </message>
    <message>
        <source>Last inference: {time}</source>
        <translation>上次推論：{time}</translation>
    </message>
    <message>
        <source>viz_app — Generative AI in Language</source>
        <translation>viz_app — 語言中的生成式 AI</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>自動</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA (GPU)</source>
        <translation>CUDA（GPU）</translation>
    </message>
    <message>
        <source>MPS (Apple GPU)</source>
        <translation>MPS（Apple GPU）</translation>
    </message>
    <message>
        <source>Your text:</source>
        <translation>你的文字：</translation>
    </message>
    <message>
        <source>layer {n}</source>
        <translation>第 {n} 層</translation>
    </message>
    <message>
        <source>encoder {n}</source>
        <translation>編碼器第 {n} 層</translation>
    </message>
    <message>
        <source>decoder {n}</source>
        <translation>解碼器第 {n} 層</translation>
    </message>
    <message>
        <source>cross {n}</source>
        <translation>交叉注意力第 {n} 層</translation>
    </message>
    <message>
        <source>“Which heads matter?” switches each head off alone and draws how much the prediction changes.</source>
        <translation>「哪些注意力頭重要？」會逐一單獨關掉每個頭，並畫出預測改變了多少。</translation>
    </message>
    <message>
        <source>A head switched off:</source>
        <translation>關掉的頭：</translation>
    </message>
    <message>
        <source>outputs zero</source>
        <translation>輸出零</translation>
    </message>
    <message>
        <source>outputs its mean over a reference text</source>
        <translation>輸出它在參考文本上的平均</translation>
    </message>
    <message>
        <source>zero: the head adds nothing (W^O&apos;s bias, which belongs to no head, stays); mean: the head adds what it adds on average, but nothing that depends on this text</source>
        <translation>零：這個頭什麼都不加（W^O 的偏差不屬於任何頭，保留）；平均：這個頭加上它平均會加的，但不再加任何取決於這段文字的東西</translation>
    </message>
    <message>
        <source>All heads on</source>
        <translation>全部開啟</translation>
    </message>
    <message>
        <source>Which heads matter?</source>
        <translation>哪些注意力頭重要？</translation>
    </message>
    <message>
        <source>switch each head off in turn and measure how the prediction changes</source>
        <translation>輪流關掉每個頭，測量預測如何改變</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Click a head to switch it off or on:</source>
        <translation>點一個頭來關掉或開啟：</translation>
    </message>
    <message>
        <source>Switch heads off to see what they do: the prediction below updates with every click.</source>
        <translation>關掉注意力頭，看看它們做什麼：每點一次，下方的預測就會更新。</translation>
    </message>
    <message>
        <source>on</source>
        <translation>開</translation>
    </message>
    <message>
        <source>the next token after “…{context}”</source>
        <translation>「…{context}」之後的下一個詞元</translation>
    </message>
    <message>
        <source>the word at [MASK]</source>
        <translation>[MASK] 位置的詞</translation>
    </message>
    <message>
        <source>output word {n} after “{before}”</source>
        <translation>「{before}」之後的第 {n} 個輸出詞</translation>
    </message>
    <message>
        <source>grad × input</source>
        <translation>梯度×輸入</translation>
    </message>
    <message>
        <source>integ. grad.</source>
        <translation>積分梯度</translation>
    </message>
    <message>
        <source>rollout</source>
        <translation>注意力累積</translation>
    </message>
    <message>
        <source>Explain:</source>
        <translation>解釋：</translation>
    </message>
    <message>
        <source>the top prediction</source>
        <translation>最可能的預測</translation>
    </message>
    <message>
        <source>[MASK] number:</source>
        <translation>第幾個 [MASK]：</translation>
    </message>
    <message>
        <source>Rows: gradient × input; integrated gradients (from every token [PAD] to the text); the last layer&apos;s attention from the predicted position (mean of the heads); attention rollout through every layer. Attention shows where the model looked; the gradients, what would change its answer. The two can disagree: attention is one step, and the values, Wᴼ, the feed-forward layers and the residual path all come after it.</source>
        <translation>各列：梯度×輸入；積分梯度（從每個詞元都是 [PAD] 到這段文字）；最後一層從預測位置出發的注意力（各頭平均）；穿過每一層的注意力累積（rollout）。注意力顯示模型看了哪裡；梯度顯示什麼會改變它的答案。兩者可能不一致：注意力只是其中一步，之後還有值向量、Wᴼ、前饋層與殘差路徑。</translation>
    </message>
    <message>
        <source>Type a text: the model&apos;s prediction is explained here, token by token.</source>
        <translation>請輸入文字：模型的預測會在這裡逐個詞元解釋。</translation>
    </message>
    <message>
        <source>share of the row&apos;s largest</source>
        <translation>占該列最大值的比例</translation>
    </message>
    <message>
        <source> Integrated gradients add up to {total}; f(input) − f(baseline) = {diff}: within {err} ({steps} steps; baseline: every token {baseline}).</source>
        <translation>積分梯度加總為 {total}；f(輸入) − f(基準) = {diff}：誤差 {err} 以內（{steps} 步；基準：每個詞元都是 {baseline}）。</translation>
    </message>
    <message>
        <source>zero</source>
        <translation>零</translation>
    </message>
    <message>
        <source> (output word after “{before}”)</source>
        <translation>（「{before}」之後的輸出詞）</translation>
    </message>
    <message>
        <source>Why “&lt;b&gt;{target}&lt;/b&gt;”{where} (p = {p})? Each row: how much each input token counted, scaled to the row&apos;s largest. Blue: pushed toward “{target}”; red: away from it.{check}</source>
        <translation>為什麼是「&lt;b&gt;{target}&lt;/b&gt;」{where}（p = {p}）？每一列：每個輸入詞元貢獻多少，以該列最大值為準縮放。藍：推向「{target}」；紅：推離它。{check}</translation>
    </message>
    <message>
        <source>its mean over a reference text</source>
        <translation>它在參考文本上的平均</translation>
    </message>
    <message>
        <source>Prediction: {what}. With every head on, “&lt;b&gt;{target}&lt;/b&gt;” has probability {base}. Click a head to switch it off and watch the probability change.</source>
        <translation>預測：{what}。所有頭都開啟時，「&lt;b&gt;{target}&lt;/b&gt;」的機率是 {base}。點一個頭把它關掉，看機率怎麼變。</translation>
    </message>
    <message>
        <source>Prediction: {what}. With every head on, “&lt;b&gt;{target}&lt;/b&gt;” has probability {base}; with {n} of {total} heads switched off (each replaced by {mode}) it has {now}: a change of {change} (log-probability {delta}).</source>
        <translation>預測：{what}。所有頭都開啟時，「&lt;b&gt;{target}&lt;/b&gt;」的機率是 {base}；關掉 {total} 個頭中的 {n} 個（每個換成{mode}）後是 {now}：改變了 {change}（對數機率 {delta}）。</translation>
    </message>
    <message>
        <source>{token}: all heads on {p}, now {q}</source>
        <translation>{token}：全部開啟 {p}，現在 {q}</translation>
    </message>
    <message>
        <source>blue: every head on; orange: with the heads switched off</source>
        <translation>藍：所有頭開啟；橘：關掉選定的頭</translation>
    </message>
    <message>
        <source>change in log-probability</source>
        <translation>對數機率的改變</translation>
    </message>
    <message>
        <source>Each head switched off alone ({mode}): the change in the log-probability of “{target}”. Blue: the head helped this prediction; red: it worked against it. Most needed: {row}, head {head} ({delta}). {n} heads in {seconds} s.</source>
        <translation>每次單獨關掉一個頭（{mode}）：「{target}」的對數機率的改變。藍：這個頭幫助了這個預測；紅：它的作用相反。最需要的：{row}，第 {head} 個頭（{delta}）。{n} 個頭，花了 {seconds} 秒。</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>平均</translation>
    </message>
    <message>
        <source>{title} (later)</source>
        <translation>{title}（之後推出）</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>檔案(&amp;F)</translation>
    </message>
    <message>
        <source>Export view as PNG…</source>
        <translation>將畫面匯出為 PNG…</translation>
    </message>
    <message>
        <source>Export view as PNG at twice the size…</source>
        <translation>將畫面以兩倍大小匯出為 PNG…</translation>
    </message>
    <message>
        <source>Export view as SVG…</source>
        <translation>將畫面匯出為 SVG…</translation>
    </message>
    <message>
        <source>Export numbers as CSV…</source>
        <translation>將數值匯出為 CSV…</translation>
    </message>
    <message>
        <source>Export numbers as JSON…</source>
        <translation>將數值匯出為 JSON…</translation>
    </message>
    <message>
        <source>Copy view as image</source>
        <translation>將畫面複製為圖片</translation>
    </message>
    <message>
        <source>Open model folder…</source>
        <translation>開啟模型資料夾…</translation>
    </message>
    <message>
        <source>a local Hugging Face model (BERT-family or GPT-2-family), loaded offline</source>
        <translation>本機的 Hugging Face 模型（BERT 系列或 GPT-2 系列），離線載入</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>結束</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>檢視(&amp;V)</translation>
    </message>
    <message>
        <source>Larger text</source>
        <translation>放大文字</translation>
    </message>
    <message>
        <source>Smaller text</source>
        <translation>縮小文字</translation>
    </message>
    <message>
        <source>Reset text size</source>
        <translation>重設文字大小</translation>
    </message>
    <message>
        <source>Dark theme</source>
        <translation>深色主題</translation>
    </message>
    <message>
        <source>Colour map for heatmaps</source>
        <translation>熱圖的色彩對應</translation>
    </message>
    <message>
        <source>Presentation mode</source>
        <translation>簡報模式</translation>
    </message>
    <message>
        <source>Leave presentation mode</source>
        <translation>離開簡報模式</translation>
    </message>
    <message>
        <source>Show lesson list</source>
        <translation>顯示課程清單</translation>
    </message>
    <message>
        <source>☰ Lessons</source>
        <translation>☰ 課程</translation>
    </message>
    <message>
        <source>Show or hide the list of lessons (Ctrl+1)</source>
        <translation>顯示或隱藏課程清單（Ctrl+1）</translation>
    </message>
    <message>
        <source>Show explanation</source>
        <translation>顯示說明</translation>
    </message>
    <message>
        <source>Explanation</source>
        <translation>說明</translation>
    </message>
    <message>
        <source>Show or hide the lesson&apos;s explanation (Ctrl+2)</source>
        <translation>顯示或隱藏本課的說明（Ctrl+2）</translation>
    </message>
    <message>
        <source>&amp;Tour</source>
        <translation>導覽(&amp;T)</translation>
    </message>
    <message>
        <source>Start the lecture tour</source>
        <translation>開始課程導覽</translation>
    </message>
    <message>
        <source>Start the Chinese tour: AI writes Tang poems (AI 寫唐詩)</source>
        <translation>開始中文導覽：AI 寫唐詩</translation>
    </message>
    <message>
        <source>Open tour…</source>
        <translation>開啟導覽…</translation>
    </message>
    <message>
        <source>Save tour as…</source>
        <translation>另存導覽…</translation>
    </message>
    <message>
        <source>Add current view as a step…</source>
        <translation>將目前畫面加入為一個步驟…</translation>
    </message>
    <message>
        <source>Next step (Page Down, →)</source>
        <translation>下一步（Page Down、→）</translation>
    </message>
    <message>
        <source>Previous step (Page Up, ←)</source>
        <translation>上一步（Page Up、←）</translation>
    </message>
    <message>
        <source>End the tour</source>
        <translation>結束導覽</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>語言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Device</source>
        <translation>裝置(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>說明(&amp;H)</translation>
    </message>
    <message>
        <source>About the models…</source>
        <translation>關於模型…</translation>
    </message>
    <message>
        <source>About viz_app</source>
        <translation>關於 viz_app</translation>
    </message>
    <message>
        <source>Open a Hugging Face model folder</source>
        <translation>開啟 Hugging Face 模型資料夾</translation>
    </message>
    <message>
        <source>The bundled tiny BERT and GPT work without it.</source>
        <translation>內建的小型 BERT 與 GPT 不需要它也能運作。</translation>
    </message>
    <message>
        <source>{folder} is not a Hugging Face model folder: it has no config.json.</source>
        <translation>{folder} 不是 Hugging Face 模型資料夾：裡面沒有 config.json。</translation>
    </message>
    <message>
        <source>Open model folder</source>
        <translation>開啟模型資料夾</translation>
    </message>
    <message>
        <source>Opened {folder}: choose it in the BERT or GPT lesson&apos;s Model list.</source>
        <translation>已開啟 {folder}：請在 BERT 或 GPT 課程的「模型」清單中選擇它。</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>{device} is not available on this machine; using the CPU.</source>
        <translation>這台電腦無法使用 {device}；改用 CPU。</translation>
    </message>
    <message>
        <source>{device} (auto)</source>
        <translation>{device}（自動）</translation>
    </message>
    <message>
        <source>CPU (checking for a GPU…)</source>
        <translation>CPU（正在檢查 GPU…）</translation>
    </message>
    <message>
        <source>Text size {percent}%</source>
        <translation>文字大小 {percent}%</translation>
    </message>
    <message>
        <source>Open tour</source>
        <translation>開啟導覽</translation>
    </message>
    <message>
        <source>Tours (*.json);;All files (*)</source>
        <translation>導覽 (*.json);;所有檔案 (*)</translation>
    </message>
    <message>
        <source>This tour cannot be opened: {reason}</source>
        <translation>無法開啟這個導覽：{reason}</translation>
    </message>
    <message>
        <source>There is no tour to save: add a step first (Tour &gt; Add current view as a step).</source>
        <translation>沒有可儲存的導覽：請先加入一個步驟（導覽 &gt; 將目前畫面加入為一個步驟）。</translation>
    </message>
    <message>
        <source>Save tour</source>
        <translation>儲存導覽</translation>
    </message>
    <message>
        <source>Tours (*.json)</source>
        <translation>導覽 (*.json)</translation>
    </message>
    <message>
        <source>Tour saved to {path}</source>
        <translation>導覽已儲存至 {path}</translation>
    </message>
    <message>
        <source>Add a step</source>
        <translation>加入步驟</translation>
    </message>
    <message>
        <source>Caption for this step:</source>
        <translation>這個步驟的說明文字：</translation>
    </message>
    <message>
        <source>Tour</source>
        <translation>導覽</translation>
    </message>
    <message>
        <source>The view was copied to the clipboard as an image.</source>
        <translation>畫面已以圖片形式複製到剪貼簿。</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>匯出失敗</translation>
    </message>
    <message>
        <source>Could not write {path}: {error}</source>
        <translation>無法寫入 {path}：{error}</translation>
    </message>
    <message>
        <source>Export view as PNG</source>
        <translation>將畫面匯出為 PNG</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 圖片 (*.png)</translation>
    </message>
    <message>
        <source>the image could not be saved</source>
        <translation>無法儲存圖片</translation>
    </message>
    <message>
        <source>Export view as SVG</source>
        <translation>將畫面匯出為 SVG</translation>
    </message>
    <message>
        <source>SVG image (*.svg)</source>
        <translation>SVG 圖片 (*.svg)</translation>
    </message>
    <message>
        <source>Nothing to export</source>
        <translation>沒有可匯出的內容</translation>
    </message>
    <message>
        <source>This view has no numbers to export yet.</source>
        <translation>這個畫面目前還沒有可匯出的數值。</translation>
    </message>
    <message>
        <source>Export numbers as CSV</source>
        <translation>將數值匯出為 CSV</translation>
    </message>
    <message>
        <source>Numbers (*.csv)</source>
        <translation>數值 (*.csv)</translation>
    </message>
    <message>
        <source>Export numbers</source>
        <translation>匯出數值</translation>
    </message>
    <message>
        <source>Watch language models work, offline: a companion to the lecture &lt;i&gt;Generative AI in Language&lt;/i&gt;.</source>
        <translation>離線觀察語言模型如何運作：搭配課程 &lt;i&gt;Generative AI in Language（語言中的生成式 AI）&lt;/i&gt; 使用。</translation>
    </message>
    <message>
        <source>There is no tour to save.</source>
        <translation>沒有可儲存的導覽。</translation>
    </message>
    <message>
        <source>This step cannot be shown: {reason}.</source>
        <translation>無法顯示這個步驟：{reason}。</translation>
    </message>
    <message>
        <source>this lesson cannot use the model {model}</source>
        <translation>這一課無法使用模型 {model}</translation>
    </message>
    <message>
        <source>{title}: step {k} of {n}</source>
        <translation>{title}：第 {k} 步／共 {n} 步</translation>
    </message>
    <message>
        <source>My tour</source>
        <translation>我的導覽</translation>
    </message>
    <message>
        <source>this lesson has no tabs</source>
        <translation>這一課沒有分頁</translation>
    </message>
    <message>
        <source>there is no tab {n}</source>
        <translation>沒有第 {n} 個分頁</translation>
    </message>
    <message>
        <source>there is no tab “{name}”</source>
        <translation>沒有「{name}」分頁</translation>
    </message>
    <message>
        <source>no control “{name}” here</source>
        <translation>這裡沒有「{name}」控制項</translation>
    </message>
    <message>
        <source>“{value}” does not fit “{name}”</source>
        <translation>「{value}」不適用於「{name}」</translation>
    </message>
    <message>
        <source>source (encoder h¹…hᴹ)</source>
        <translation>來源（編碼器 h¹…hᴹ）</translation>
    </message>
    <message>
        <source>output (decoder)</source>
        <translation>輸出（解碼器）</translation>
    </message>
    <message>
        <source>source</source>
        <translation>來源</translation>
    </message>
    <message>
        <source>output</source>
        <translation>輸出</translation>
    </message>
    <message>
        <source>Heads shown:</source>
        <translation>顯示的頭：</translation>
    </message>
    <message>
        <source>self-attention</source>
        <translation>自注意力</translation>
    </message>
    <message>
        <source>1-D CNN</source>
        <translation>一維 CNN</translation>
    </message>
    <message>
        <source>{n} steps, one after another</source>
        <translation>{n} 步，一步接一步</translation>
    </message>
    <message>
        <source>1 step: b1 … bn in parallel</source>
        <translation>1 步：b1 … bn 平行計算</translation>
    </message>
    <message>
        <source>kernel {kernel}; click a unit: layer {layer} sees {n} words</source>
        <translation>核大小 {kernel}；點選一個單元：第 {layer} 層看得到 {n} 個詞</translation>
    </message>
    <message>
        <source>digit {digit}: pixel ({row}, {column}) attends to (orange, max {top})</source>
        <translation>數字 {digit}：像素 ({row}, {column}) 注意的位置（橘色，最大值 {top}）</translation>
    </message>
    <message>
        <source>row {row}</source>
        <translation>第 {row} 列</translation>
    </message>
    <message>
        <source>column {column}</source>
        <translation>第 {column} 欄</translation>
    </message>
    <message>
        <source>{row}, {column}: click to open it large</source>
        <translation>{row}，{column}：點選以放大顯示</translation>
    </message>
    <message>
        <source>◀ Back</source>
        <translation>◀ 上一步</translation>
    </message>
    <message>
        <source>Step ▶</source>
        <translation>下一步 ▶</translation>
    </message>
    <message>
        <source>▶▶ Play</source>
        <translation>▶▶ 播放</translation>
    </message>
    <message>
        <source>step through the whole output, one word a second</source>
        <translation>逐步走完整個輸出，每秒一個詞</translation>
    </message>
    <message>
        <source>■ Stop</source>
        <translation>■ 停止</translation>
    </message>
    <message>
        <source>double-click a word to replace it with [MASK]</source>
        <translation>雙擊一個詞，把它換成 [MASK]</translation>
    </message>
    <message>
        <source>Viridis</source>
        <translation>Viridis</translation>
    </message>
    <message>
        <source>Cividis (colour-blind safe)</source>
        <translation>Cividis（色盲友善）</translation>
    </message>
    <message>
        <source>Magma</source>
        <translation>Magma</translation>
    </message>
    <message>
        <source>Only the first {n} of {total} documents are compared.</source>
        <translation>{total} 份文件中只比較前 {n} 份。</translation>
    </message>
    <message>
        <source>Document(s) {which} contain no words: their vector is all zeros.</source>
        <translation>第 {which} 份文件沒有任何詞：它的向量全是 0。</translation>
    </message>
    <message>
        <source>{word} is not in the vocabulary: too rare to estimate.</source>
        <translation>{word} 不在詞彙表中：太罕見，無法估計。</translation>
    </message>
    <message>
        <source>{probe} is seen near {word} fewer than {n} times: too rare to estimate.</source>
        <translation>{probe} 出現在 {word} 附近少於 {n} 次：太罕見，無法估計。</translation>
    </message>
    <message>
        <source>type one word to follow through the sentences</source>
        <translation>請輸入一個詞，追蹤它在各個句子中的表現</translation>
    </message>
    <message>
        <source>“{word}” is not in {model}&apos;s vocabulary: try another word</source>
        <translation>「{word}」不在 {model} 的詞彙表中：請換一個詞</translation>
    </message>
    <message>
        <source>“{word}” must appear in at least two of the sentences (found in {n})</source>
        <translation>「{word}」必須至少出現在兩個句子中（目前出現在 {n} 個）</translation>
    </message>
    <message>
        <source>type a sentence with at least one word</source>
        <translation>請輸入至少有一個詞的句子</translation>
    </message>
    <message>
        <source>no sentiment classifier is bundled</source>
        <translation>沒有附上任何情感分類器</translation>
    </message>
    <message>
        <source>{model} predicts the next word, not masked words: use a BERT model</source>
        <translation>{model} 預測的是下一個詞，不是被遮住的詞：請使用 BERT 模型</translation>
    </message>
    <message>
        <source>{model} fills in masked words; use a GPT model for the next word</source>
        <translation>{model} 填補被遮住的詞；要預測下一個詞請使用 GPT 模型</translation>
    </message>
    <message>
        <source>{model} fills in masked words; use a GPT model to generate</source>
        <translation>{model} 填補被遮住的詞；要生成文字請使用 GPT 模型</translation>
    </message>
    <message>
        <source>unknown form “{form}”: choose 5x4 (五言絕句), 7x4 (七言絕句), 5x8 (五言律詩) or 7x8 (七言律詩)</source>
        <translation>沒有「{form}」這種體裁：請選 5x4（五言絕句）、7x4（七言絕句）、5x8（五言律詩）或 7x8（七言律詩）</translation>
    </message>
    <message>
        <source>{model} does not write one character per token: poem forms need a character-level GPT such as gpt-tang</source>
        <translation>{model} 不是一個詞元一個字：格律詩需要以字為單位的 GPT，例如 gpt-tang</translation>
    </message>
    <message>
        <source>switching heads off needs one of the bundled models, not {model}</source>
        <translation>關掉注意力頭需要用內附的模型，不能用 {model}</translation>
    </message>
    <message>
        <source>type a sentence for the model to read</source>
        <translation>請輸入一句話讓模型讀</translation>
    </message>
    <message>
        <source>put a [MASK] in the text: the BERT&apos;s guess for it is what is read</source>
        <translation>請在文字中放一個 [MASK]：讀取的是 BERT 對它的猜測</translation>
    </message>
    <message>
        <source>head {head} of {row} ({done} of {total})</source>
        <translation>{row} 的第 {head} 個頭（{done}／{total}）</translation>
    </message>
    <message>
        <source>unknown method {method}: use one of {methods}</source>
        <translation>不認得的方法 {method}：請用 {methods} 之一</translation>
    </message>
    <message>
        <source>the number of steps must be between 1 and {most}</source>
        <translation>步數必須在 1 到 {most} 之間</translation>
    </message>
    <message>
        <source>explaining a prediction needs one of the bundled models, not {model}</source>
        <translation>解釋預測需要用內附的模型，不能用 {model}</translation>
    </message>
    <message>
        <source>the position must be between 0 and {last} (the translation has {n} words, then its end)</source>
        <translation>位置必須在 0 到 {last} 之間（翻譯有 {n} 個詞，接著是結尾）</translation>
    </message>
    <message>
        <source>the text has {n} [MASK]: the mask index must be between 0 and {last}</source>
        <translation>文字中有 {n} 個 [MASK]：遮罩編號必須在 0 到 {last} 之間</translation>
    </message>
    <message>
        <source>the label must be one of: {labels}</source>
        <translation>標籤必須是下列之一：{labels}</translation>
    </message>
    <message>
        <source>reverse: the answer at position i should attend to input position n − 1 − i (n&#xa0;=&#xa0;{n})</source>
        <translation>反轉：答案第 i 個位置應該注意輸入的第 n − 1 − i 個位置（n&#xa0;=&#xa0;{n}）</translation>
    </message>
    <message>
        <source>induction: the answer should attend to the position just after the earlier occurrence of the query token</source>
        <translation>歸納：答案應該注意查詢詞元上次出現之處的下一個位置</translation>
    </message>
    <message>
        <source>the key/value cache is shown for the bundled GPTs (gpt-tiny, gpt-tang)</source>
        <translation>鍵／值快取只示範內附的 GPT（gpt-tiny、gpt-tang）</translation>
    </message>
    <message>
        <source>{n} of at most {total} tokens</source>
        <translation>{n}／最多 {total} 個詞元</translation>
    </message>
    <message>
        <source>copy: the answer at position i should attend to input position i</source>
        <translation>複製：答案第 i 個位置應該注意輸入的第 i 個位置</translation>
    </message>
    <message>
        <source>sort: the answer at position i should attend to the input position of the i-th smallest</source>
        <translation>排序：答案第 i 個位置應該注意第 i 小的數所在的輸入位置</translation>
    </message>
    <message>
        <source>next character: no ideal pattern to compare the heads with</source>
        <translation>下一個字元：沒有可以和注意力頭比較的理想模式</translation>
    </message>
    <message>
        <source>French to English: no known ideal pattern; the score is the diagonal-ness (attention near the same relative place in the French)</source>
        <translation>法翻英：沒有已知的理想模式；分數是對角程度（注意力落在法文中相同相對位置附近的程度）</translation>
    </message>
    <message>
        <source>the French-English pairs are not found at {path}</source>
        <translation>在 {path} 找不到法英句對</translation>
    </message>
    <message>
        <source>unknown task {task}: choose one of {tasks}</source>
        <translation>不認得的任務 {task}：請從 {tasks} 中選一個</translation>
    </message>
    <message>
        <source>the digits go from 2 to 16, not {digits}</source>
        <translation>數字種類應在 2 到 16 之間，不是 {digits}</translation>
    </message>
    <message>
        <source>the length goes from {low} to {high}, not {length}</source>
        <translation>長度應在 {low} 到 {high} 之間，不是 {length}</translation>
    </message>
    <message>
        <source>the text needs at least {n} characters</source>
        <translation>文字至少需要 {n} 個字元</translation>
    </message>
    <message>
        <source>the width ({width}) must be a multiple of the heads ({heads})</source>
        <translation>寬度（{width}）必須是頭數（{heads}）的倍數</translation>
    </message>
    <message>
        <source>the learning rate must be above 0 and at most 1, not {lr}</source>
        <translation>學習率必須大於 0 且不超過 1，不是 {lr}</translation>
    </message>
    <message>
        <source>the seed, warm-up and weight decay cannot be negative</source>
        <translation>種子、暖身步數與權重衰減不能是負數</translation>
    </message>
    <message>
        <source>the number of steps cannot be negative</source>
        <translation>步數不能是負數</translation>
    </message>
    <message>
        <source>this training state belongs to another configuration</source>
        <translation>這個訓練狀態屬於另一組設定</translation>
    </message>
    <message>
        <source>{name} goes from {low} to {high}, not {value}</source>
        <translation>{name} 應在 {low} 到 {high} 之間，不是 {value}</translation>
    </message>
    <message>
        <source>a training configuration is needed</source>
        <translation>需要一組訓練設定</translation>
    </message>
    <message>
        <source>the steps per chunk go from 0 to {high}, not {steps}</source>
        <translation>每段的步數應在 0 到 {high} 之間，不是 {steps}</translation>
    </message>
    <message>
        <source>nothing has been trained in this session yet</source>
        <translation>這個工作階段還沒有訓練任何東西</translation>
    </message>
    <message>
        <source>step {step} ({done} of {steps}), loss {loss}</source>
        <translation>第 {step} 步（{done}／{steps}），損失 {loss}</translation>
    </message>
    <message>
        <source>the model trained in Learn reads only its task&apos;s tokens ({tokens}), not {unknown}</source>
        <translation>在「學習」分頁訓練的模型只讀它任務中的詞元（{tokens}），不讀 {unknown}</translation>
    </message>
    <message>
        <source>at most {n} new tokens</source>
        <translation>最多 {n} 個新詞元</translation>
    </message>
    <message>
        <source>type a text for the GPT to read</source>
        <translation>請輸入文字讓 GPT 讀</translation>
    </message>
    <message>
        <source>timing the generation with the cache</source>
        <translation>正在測量用快取生成的速度</translation>
    </message>
    <message>
        <source>timing the generation without the cache</source>
        <translation>正在測量不用快取生成的速度</translation>
    </message>
    <message>
        <source>the prompt has characters {model} does not know: {chars}</source>
        <translation>提示中有 {model} 不認得的字：{chars}</translation>
    </message>
    <message>
        <source>the prompt is longer than a {title} ({form}: {length} characters and marks, the prompt {n})</source>
        <translation>提示比一首{title}還長（{form}：共 {length} 個字與標點，提示有 {n} 個）</translation>
    </message>
    <message>
        <source>the seed must be a whole number, 0 or more</source>
        <translation>種子必須是 0 或更大的整數</translation>
    </message>
    <message>
        <source>the acrostic takes Chinese characters only, not {chars}</source>
        <translation>藏頭只能用漢字，不能用 {chars}</translation>
    </message>
    <message>
        <source>the acrostic has characters {model} does not know: {chars}</source>
        <translation>藏頭中有 {model} 不認得的字：{chars}</translation>
    </message>
    <message>
        <source>a {title} ({form}) has {lines} lines: give the acrostic {lines} characters, one per line (it has {n})</source>
        <translation>一首{title}（{form}）有 {lines} 句：藏頭請給 {lines} 個字，每句一字（目前有 {n} 個）</translation>
    </message>
    <message>
        <source>line {line} of a {title} ends after {chars} characters with “{mark}”, not “{found}”</source>
        <translation>{title}的第 {line} 句在 {chars} 個字之後以「{mark}」結尾，不是「{found}」</translation>
    </message>
    <message>
        <source>line {line} of a {title} has {chars} characters before its “{mark}”; the prompt puts “{found}” after {n}</source>
        <translation>{title}的第 {line} 句在「{mark}」之前有 {chars} 個字；提示在第 {n} 個字後就放了「{found}」</translation>
    </message>
    <message>
        <source>the acrostic starts line {line} with “{want}”, but the prompt starts it with “{found}”</source>
        <translation>藏頭要第 {line} 句以「{want}」開頭，但提示以「{found}」開頭</translation>
    </message>
    <message>
        <source>{n} of {total} tokens</source>
        <translation>{n} / {total} 個詞元</translation>
    </message>
    <message>
        <source>the logit lens reads a next-word model: use a GPT</source>
        <translation>Logit 透鏡讀取的是預測下一個詞的模型：請使用 GPT</translation>
    </message>
    <message>
        <source>{model} has no sentiment head: use bert-sentiment</source>
        <translation>{model} 沒有情感分類頭：請使用 bert-sentiment</translation>
    </message>
    <message>
        <source>scoring a text needs a next-word model: use a GPT</source>
        <translation>為文字評分需要預測下一個詞的模型：請使用 GPT</translation>
    </message>
    <message>
        <source>temperature must be between 0.05 and 5</source>
        <translation>溫度必須介於 0.05 與 5 之間</translation>
    </message>
    <message>
        <source>top-k must be 0 (no limit) or positive</source>
        <translation>top-k 必須是 0（不限制）或正數</translation>
    </message>
    <message>
        <source>top-p must be in (0, 1]</source>
        <translation>top-p 必須在 (0, 1] 之間</translation>
    </message>
    <message>
        <source>temperature must be above 0</source>
        <translation>溫度必須大於 0</translation>
    </message>
    <message>
        <source>PCA needs at least two vectors</source>
        <translation>PCA 至少需要兩個向量</translation>
    </message>
    <message>
        <source>t-SNE needs at least 10 vectors</source>
        <translation>t-SNE 至少需要 10 個向量</translation>
    </message>
    <message>
        <source>UMAP needs at least 10 vectors</source>
        <translation>UMAP 至少需要 10 個向量</translation>
    </message>
    <message>
        <source>type the first line of a couplet, e.g. 白日依山盡，</source>
        <translation>請輸入對聯的上句，例如「白日依山盡，」</translation>
    </message>
    <message>
        <source>one line at a time: type only the first line of the couplet (up to its ，)</source>
        <translation>一次一句：請只輸入上句（到句末的「，」為止）</translation>
    </message>
    <message>
        <source>the couplet model reads Chinese characters (a first line such as 白日依山盡，); it cannot read: {chars}</source>
        <translation>對對子模型讀的是中文字（例如上句「白日依山盡，」）；它讀不了：{chars}</translation>
    </message>
    <message>
        <source>one line of at most {n} characters, please (the poems&apos; lines have 5 or 7); this has {m}</source>
        <translation>請輸入最多 {n} 個字的一句（唐詩的句子是五言或七言）；這句有 {m} 個字</translation>
    </message>
    <message>
        <source>This sentence has {n} tokens; only {share}% of the {total} training sentences have {n} or more (the corpus keeps pairs whose English side is at most 30 characters). The model may stop early and leave out the end of the sentence.</source>
        <translation>這個句子有 {n} 個詞元；訓練句子 {total} 句中只有 {share}% 有 {n} 個或更多（語料只保留英文那一側最多 30 個字元的句對）。模型可能提早停下，漏掉句子的後半段。</translation>
    </message>
    <message>
        <source>The couplet model reads a line of Chinese characters (Traditional, as in the Tang poems) and writes the line that answers it: try “白日依山盡，”.</source>
        <translation>對對子模型讀入一句中文（繁體字，和唐詩一樣），寫出與它相對的下句：試試「白日依山盡，」。</translation>
    </message>
    <message>
        <source>The couplet model answers one line: type only the first line of a couplet (up to its ，).</source>
        <translation>對對子模型一次只對一句：請只輸入上句（到句末的「，」為止）。</translation>
    </message>
    <message>
        <source>The poems&apos; lines have 5 or 7 characters; this one has {n}, a length the model never saw.</source>
        <translation>唐詩的句子是五言或七言；這句有 {n} 個字，是模型沒見過的長度。</translation>
    </message>
    <message>
        <source>This looks like English. The translator reads French and writes English: try “je suis étudiant .” or “il fait beau aujourd&apos;hui .”</source>
        <translation>這看起來像英文。這個翻譯模型讀法文、寫英文：試試「je suis étudiant .」或「il fait beau aujourd&apos;hui .」</translation>
    </message>
    <message>
        <source>the beam width must be between 1 and 10</source>
        <translation>集束寬度必須介於 1 與 10 之間</translation>
    </message>
    <message>
        <source>“{word}” is not a word this model can output</source>
        <translation>「{word}」不是這個模型能輸出的詞</translation>
    </message>
    <message>
        <source>Settings file {path} could not be read ({error}); using defaults.</source>
        <translation>無法讀取設定檔 {path}（{error}）；改用預設值。</translation>
    </message>
    <message>
        <source>Settings file had values that cannot be used ({keys}); defaults are used for them and a copy of the file is in {aside}.</source>
        <translation>設定檔中有無法使用的值（{keys}）；這些項目改用預設值，檔案的副本在 {aside}。</translation>
    </message>
    <message>
        <source>Settings file was broken ({error}); it was moved to {aside} and defaults are used.</source>
        <translation>設定檔已損壞（{error}）；已移至 {aside}，改用預設值。</translation>
    </message>
    <message>
        <source>Settings file had values that cannot be used ({keys}); defaults are used for them.</source>
        <translation>設定檔中有無法使用的值（{keys}）；這些項目改用預設值。</translation>
    </message>
    <message>
        <source>Settings file was broken ({error}); it was left in place and defaults are used.</source>
        <translation>設定檔已損壞（{error}）；檔案留在原處，改用預設值。</translation>
    </message>
    <message>
        <source>each input vector must have exactly 2 numbers, like 1,1</source>
        <translation>每個輸入向量必須剛好有 2 個數字，例如 1,1</translation>
    </message>
    <message>
        <source>give at least one input vector, like 1,1; 1,1; 2,2</source>
        <translation>請至少輸入一個向量，例如 1,1; 1,1; 2,2</translation>
    </message>
    <message>
        <source>at most {n} time steps (got {got}): the values double every step</source>
        <translation>最多 {n} 個時間步（收到 {got} 個）：數值每一步都會加倍</translation>
    </message>
    <message>
        <source>input numbers must be finite</source>
        <translation>輸入的數字必須是有限值</translation>
    </message>
    <message>
        <source>input numbers must lie between -1,000,000 and 1,000,000</source>
        <translation>輸入的數字必須介於 -1,000,000 與 1,000,000 之間</translation>
    </message>
    <message>
        <source>no input vectors: type them like 1,1; 1,1; 2,2</source>
        <translation>沒有輸入向量：請以 1,1; 1,1; 2,2 的格式輸入</translation>
    </message>
    <message>
        <source>input vectors must be numbers: {error}</source>
        <translation>輸入向量必須是數字：{error}</translation>
    </message>
    <message>
        <source>{part} is not a vector of two numbers like 1,1</source>
        <translation>{part} 不是由兩個數字組成的向量（例如 1,1）</translation>
    </message>
    <message>
        <source>{word} is not among the {n} characters of this embedding</source>
        <translation>{word} 不在這個嵌入的 {n} 個字之中</translation>
    </message>
    <message>
        <source>give a word (the text is empty)</source>
        <translation>請輸入一個詞（目前是空的）</translation>
    </message>
    <message>
        <source>this embedding has one vector per character, and {word} is {n} characters</source>
        <translation>這個嵌入每個字一個向量，而 {word} 有 {n} 個字</translation>
    </message>
    <message>
        <source>this embedding has one vector per character, and {word} is {n} characters; try one of them, e.g. {example}</source>
        <translation>這個嵌入每個字一個向量，而 {word} 有 {n} 個字；請試其中一個字，例如 {example}</translation>
    </message>
    <message>
        <source>attending (query)</source>
        <translation>關注者（query）</translation>
    </message>
    <message>
        <source>attended to (key)</source>
        <translation>被關注者（key）</translation>
    </message>
    <message>
        <source>Chinese text: switched to {model} (trained on Tang poems). Choose {other} in the model list to switch back.</source>
        <translation>偵測到中文：已切換到 {model}（以唐詩訓練）。在模型清單中選擇 {other} 即可切換回去。</translation>
    </message>
    <message>
        <source>Think, then press → (Page Down) to reveal the model&apos;s answer.</source>
        <translation>先想一想，再按 →（Page Down）揭曉模型的答案。</translation>
    </message>
    <message>
        <source>Choices: {words}</source>
        <translation>選項：{words}</translation>
    </message>
    <message>
        <source>Generate step by step</source>
        <translation>逐步生成</translation>
    </message>
    <message>
        <source>generate with the key/value cache (the seed and sampling of the first tab)</source>
        <translation>用鍵／值快取生成（使用第一個分頁的種子與取樣設定）</translation>
    </message>
    <message>
        <source>tokens:</source>
        <translation>詞元數：</translation>
    </message>
    <message>
        <source>Time step:</source>
        <translation>時間步：</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Head (cache):</source>
        <translation>頭（快取）：</translation>
    </message>
    <message>
        <source>Press &lt;b&gt;Generate step by step&lt;/b&gt;: at each time step the GPT reads only the newest token; the keys and values of the tokens before it come from the cache.</source>
        <translation>按&lt;b&gt;逐步生成&lt;/b&gt;：每個時間步 GPT 只讀最新的詞元；它前面那些詞元的鍵和值來自快取。</translation>
    </message>
    <message>
        <source>attention weight</source>
        <translation>注意力權重</translation>
    </message>
    <message>
        <source>key value</source>
        <translation>鍵的數值</translation>
    </message>
    <message>
        <source>one new row per layer was added to the cache</source>
        <translation>每一層的快取各加了一列</translation>
    </message>
    <message>
        <source>the cache was built from the whole window (the first step, or the window slid past the context)</source>
        <translation>快取由整個視窗重新建立（第一步，或視窗已滑過上下文長度）</translation>
    </message>
    <message>
        <source>Time step {step}: the GPT reads “{token}” (position {length}). Left: its query q (layer {layer}, every head) against the {length} cached keys k, softmaxed: where it looks. It then picks “&lt;b&gt;{picked}&lt;/b&gt;” (p = {p}); {how}. Right: the cache of layer {layer}, head {head}: one key vector per token read so far.</source>
        <translation>時間步 {step}：GPT 讀「{token}」（位置 {length}）。左：它的查詢 q（第 {layer} 層，所有頭）對快取中的 {length} 個鍵 k，經過 softmax：它看哪裡。接著它選了「&lt;b&gt;{picked}&lt;/b&gt;」（p = {p}）；{how}。右：第 {layer} 層第 {head} 個頭的快取：到目前為止每讀一個詞元就有一個鍵向量。</translation>
    </message>
    <message>
        <source>Measured on {device}: {fast} tokens/s with the cache, {slow} without ({ratio}× faster).</source>
        <translation>在 {device} 上實測：用快取每秒 {fast} 個詞元，不用 {slow} 個（快 {ratio} 倍）。</translation>
    </message>
    <message>
        <source>(tokens per second: measured when the generation ends)</source>
        <translation>（每秒詞元數：生成結束時測量）</translation>
    </message>
    <message>
        <source>Work at this step: {with_cache} multiply-adds with the cache, {without} recomputing the window. The whole text ({n} steps): {total_with} with, {total_without} without ({saved} of the work saved).</source>
        <translation>這一步的計算量：用快取 {with_cache} 次乘加，重算整個視窗 {without} 次。整段文字（{n} 步）：用快取 {total_with}，不用 {total_without}（省下 {saved} 的計算）。</translation>
    </message>
    <message>
        <source>KV cache</source>
        <translation>KV 快取</translation>
    </message>
    <message>
        <source>Switch heads off</source>
        <translation>關掉注意力頭</translation>
    </message>
    <message>
        <source>Branching text</source>
        <translation>分岔的文字</translation>
    </message>
    <message>
        <source>Why this prediction?</source>
        <translation>為什麼這樣預測？</translation>
    </message>
    <message>
        <source>Type a text first: the scan reads the model&apos;s prediction for it.</source>
        <translation>請先輸入文字：掃描讀的是模型對它的預測。</translation>
    </message>
    <message>
        <source>{model}: switching each head off in turn</source>
        <translation>{model}：輪流關掉每個頭</translation>
    </message>
    <message>
        <source>Type a prompt first: the GPT continues it.</source>
        <translation>請先輸入開頭：GPT 會接著寫。</translation>
    </message>
    <message>
        <source>{model} generating with the cache</source>
        <translation>{model} 正在用快取生成</translation>
    </message>
    <message>
        <source>{model} writing a branch</source>
        <translation>{model} 正在寫一個分支</translation>
    </message>
    <message>
        <source>Output word read:</source>
        <translation>讀取的輸出詞：</translation>
    </message>
    <message>
        <source>the word of the model&apos;s own translation whose probability is read, given the words before it; the last entry reads the prediction that the output ends there</source>
        <translation>讀取模型自己翻譯中的哪個詞的機率（給定它前面的詞）；最後一項讀的是「輸出到此結束」的預測</translation>
    </message>
    <message>
        <source>Colour = the model&apos;s probability of each token: {a} {b} {c} {d}. Hover a token: its entropy.</source>
        <translation>顏色＝模型給每個詞元的機率：{a} {b} {c} {d}。滑鼠移到詞元上：看它的熵。</translation>
    </message>
    <message>
        <source>under 0.001: a surprise</source>
        <translation>低於 0.001：意外</translation>
    </message>
    <message>
        <source>near 1: expected</source>
        <translation>接近 1：意料之中</translation>
    </message>
    <message>
        <source>“{token}”: probability {p}; entropy {h} bits (as unsure as a fair choice among {n} tokens). Click: its alternatives.</source>
        <translation>「{token}」：機率 {p}；熵 {h} 位元（不確定的程度如同在 {n} 個詞元中平均地選一個）。點一下：看其他選擇。</translation>
    </message>
</context>
<context>
    <name>lessons</name>
    <message>
        <source>Generative vs discriminative AI</source>
        <translation>生成式 AI 與判別式 AI</translation>
    </message>
    <message>
        <source>Word embedding</source>
        <translation>詞嵌入</translation>
    </message>
    <message>
        <source>Document embedding</source>
        <translation>文件嵌入</translation>
    </message>
    <message>
        <source>RNN and LSTM</source>
        <translation>RNN 與 LSTM</translation>
    </message>
    <message>
        <source>Seq2Seq</source>
        <translation>Seq2Seq</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意力機制</translation>
    </message>
    <message>
        <source>Self-attention</source>
        <translation>自注意力機制</translation>
    </message>
    <message>
        <source>Transformer</source>
        <translation>Transformer</translation>
    </message>
    <message>
        <source>BERT</source>
        <translation>BERT</translation>
    </message>
    <message>
        <source>GPT</source>
        <translation>GPT</translation>
    </message>
    <message>
        <source>Generative vs discriminative</source>
        <translation>生成式與判別式</translation>
    </message>
    <message>
        <source>Discriminative AI predicts labels; generative AI generates new data samples.</source>
        <translation>判別式 AI 預測標籤；生成式 AI 生成新的資料樣本。</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Discriminative AI&lt;/b&gt; predicts labels or classifications based on its training set: is this review positive or negative?&lt;/p&gt;&lt;p&gt;&lt;b&gt;Generative AI&lt;/b&gt; generates new data samples based on its training set: articles, images, music, a love letter written on request.&lt;/p&gt;&lt;p&gt;Type a movie review or the start of a story: on the left, a sentiment classifier trained here on movie reviews labels it (the most accurate of the BERT lesson&apos;s three, named on the page); on the right, the small GPT trained here writes a continuation.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;判別式 AI&lt;/b&gt; 根據訓練資料集預測標籤或分類：這則評論是正面還是負面？&lt;/p&gt;&lt;p&gt;&lt;b&gt;生成式 AI&lt;/b&gt; 根據訓練資料集生成新的資料樣本：文章、圖片、音樂，甚至是應要求寫出的一封情書。&lt;/p&gt;&lt;p&gt;輸入一則影評或一個故事的開頭：左邊是在本程式中用影評訓練的情感分類器，為它貼上標籤（BERT 課程三個分類器中最準確的一個，頁面上會寫出是哪一個）；右邊是在本程式中訓練的小型 GPT，為它寫出後續。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Word embedding lab</source>
        <translation>詞嵌入實驗室</translation>
    </message>
    <message>
        <source>One-hot vectors, counting-based (co-occurrence, GloVe) and prediction-based (CBOW, skip-gram) embeddings.</source>
        <translation>One-hot 向量、基於計數（共現、GloVe）與基於預測（CBOW、skip-gram）的詞嵌入。</translation>
    </message>
    <message>
        <source>&lt;p&gt;Word embedding turns a &lt;i&gt;word&lt;/i&gt; into a &lt;i&gt;vector&lt;/i&gt; of numbers. It is a dimension reduction: a one-hot vector as long as the vocabulary becomes a short dense vector.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Counting-based:&lt;/b&gt; if two words often co-occur, their vectors should be close (GloVe fits w&lt;sub&gt;i&lt;/sub&gt;·w̃&lt;sub&gt;j&lt;/sub&gt; + b&lt;sub&gt;i&lt;/sub&gt; + b̃&lt;sub&gt;j&lt;/sub&gt; ≈ log X&lt;sub&gt;ij&lt;/sub&gt;).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Prediction-based:&lt;/b&gt; use a word to predict the next one, or (CBOW) a word from its context, or (skip-gram) the context from a word, by minimising cross entropy.&lt;/p&gt;</source>
        <translation>&lt;p&gt;詞嵌入把一個&lt;i&gt;詞&lt;/i&gt;變成一個由數字組成的&lt;i&gt;向量&lt;/i&gt;。它是一種降維技術：和詞彙表一樣長的 one-hot 向量，變成一個短的稠密向量。&lt;/p&gt;&lt;p&gt;&lt;b&gt;基於計數：&lt;/b&gt;如果兩個詞常常一起出現，它們的向量就應該彼此接近（GloVe 擬合 w&lt;sub&gt;i&lt;/sub&gt;·w̃&lt;sub&gt;j&lt;/sub&gt; + b&lt;sub&gt;i&lt;/sub&gt; + b̃&lt;sub&gt;j&lt;/sub&gt; ≈ log X&lt;sub&gt;ij&lt;/sub&gt;）。&lt;/p&gt;&lt;p&gt;&lt;b&gt;基於預測：&lt;/b&gt;用一個詞預測下一個詞，或（CBOW）由上下文預測一個詞，或（skip-gram）由一個詞預測它的上下文，方法是最小化交叉熵。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Bag of words</source>
        <translation>詞袋模型</translation>
    </message>
    <message>
        <source>Each document becomes a &lt;word, count&gt; map; compare documents by distance, cosine or dot product.</source>
        <translation>每份文件都變成一個 &lt;詞, 次數&gt; 對照表；用距離、餘弦或內積比較文件。</translation>
    </message>
    <message>
        <source>&lt;p&gt;Can a whole document be embedded too? A word sequence of any length becomes a vector of one fixed length that stands for its meaning.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Bag of words (BOW)&lt;/b&gt; treats a sentence or a document as a bag of words: each document becomes a &amp;lt;word, count&amp;gt; map. Over the vocabulary of all documents that map is a count vector.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Document similarity:&lt;/b&gt; Euclidean distance (small = similar), cosine (the angle; 1 = same direction, whatever the length) or the dot product (grows with length).&lt;/p&gt;&lt;p&gt;&lt;b&gt;The problem of BOW:&lt;/b&gt; the order of the words is ignored, so &lt;i&gt;dog bites man&lt;/i&gt; and &lt;i&gt;man bites dog&lt;/i&gt; get the same vector.&lt;/p&gt;&lt;p&gt;&lt;i&gt;Type one document per line.&lt;/i&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;整份文件也能做嵌入嗎？任意長度的詞序列，會變成一個固定長度、代表其意義的向量。&lt;/p&gt;&lt;p&gt;&lt;b&gt;詞袋模型（BOW）&lt;/b&gt;把一個句子或一份文件當成一袋詞：每份文件都變成一個 &amp;lt;詞, 次數&amp;gt; 對照表。在所有文件的詞彙表上，這個對照表就是一個計數向量。&lt;/p&gt;&lt;p&gt;&lt;b&gt;文件相似度：&lt;/b&gt;歐氏距離（越小越相似）、餘弦（夾角；1 = 方向相同，與長度無關）或內積（會隨長度變大）。&lt;/p&gt;&lt;p&gt;&lt;b&gt;詞袋模型的問題：&lt;/b&gt;詞的順序被忽略了，所以 &lt;i&gt;dog bites man&lt;/i&gt;（狗咬人）和 &lt;i&gt;man bites dog&lt;/i&gt;（人咬狗）會得到相同的向量。&lt;/p&gt;&lt;p&gt;&lt;i&gt;每行輸入一份文件。&lt;/i&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>RNN basics (toy network)</source>
        <translation>RNN 基礎（玩具網路）</translation>
    </message>
    <message>
        <source>The lecture&apos;s toy RNN: all weights 1, no bias, linear activations, two memory cells.</source>
        <translation>課程中的玩具 RNN：所有權重都是 1、沒有偏差、線性激活函數、兩個記憶單元。</translation>
    </message>
    <message>
        <source>&lt;p&gt;An RNN is designed for time series: it reads one input vector per step and keeps &lt;b&gt;memory&lt;/b&gt; of what it has seen.&lt;/p&gt;&lt;p&gt;In this toy network all the weights are 1, there is no bias and all activations are linear. The two memory cells start at 0; after each step they store the hidden values.&lt;/p&gt;&lt;p&gt;Input [1,1], [1,1], [2,2] gives output [4,4], [12,12], [32,32]. &lt;b&gt;Changing the sequence order changes the output&lt;/b&gt;, because the memory carries the past.&lt;/p&gt;&lt;p&gt;A &lt;b&gt;bi-directional RNN&lt;/b&gt; runs a second network from the end to the start, so each output sees the whole sequence.&lt;/p&gt;&lt;p&gt;&lt;i&gt;Edit the vectors in the table, or type them in the input as 1,1; 1,1; 2,2.&lt;/i&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;RNN 是為時間序列問題設計的：它每一步讀入一個輸入向量，並&lt;b&gt;記住&lt;/b&gt;看過的內容。&lt;/p&gt;&lt;p&gt;在這個玩具網路中，所有權重都是 1，沒有偏差，所有激活函數都是線性的。兩個記憶單元從 0 開始；每一步結束後，它們會存下隱藏層的值。&lt;/p&gt;&lt;p&gt;輸入 [1,1]、[1,1]、[2,2] 會得到輸出 [4,4]、[12,12]、[32,32]。&lt;b&gt;改變序列的順序會改變輸出&lt;/b&gt;，因為記憶帶著過去的資訊。&lt;/p&gt;&lt;p&gt;&lt;b&gt;雙向 RNN&lt;/b&gt; 會再用第二個網路從尾端跑到開頭，讓每個輸出都看得到整個序列。&lt;/p&gt;&lt;p&gt;&lt;i&gt;編輯表格中的向量，或在輸入框中輸入 1,1; 1,1; 2,2。&lt;/i&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>LSTM gates</source>
        <translation>LSTM 閘門</translation>
    </message>
    <message>
        <source>A word-level LSTM language model trained here: input, forget and output gates step by step.</source>
        <translation>在本程式中訓練的詞層級 LSTM 語言模型：逐步觀察輸入閘、遺忘閘與輸出閘。</translation>
    </message>
    <message>
        <source>&lt;p&gt;LSTM is the best-known RNN. Its cell keeps a memory c&lt;sup&gt;t&lt;/sup&gt;; an &lt;b&gt;input gate&lt;/b&gt; decides what to write, a &lt;b&gt;forget gate&lt;/b&gt; what to keep of c&lt;sup&gt;t-1&lt;/sup&gt;, an &lt;b&gt;output gate&lt;/b&gt; what to show: c&lt;sub&gt;t&lt;/sub&gt; = f&lt;sub&gt;t&lt;/sub&gt;·c&lt;sub&gt;t-1&lt;/sub&gt; + i&lt;sub&gt;t&lt;/sub&gt;·g&lt;sub&gt;t&lt;/sub&gt;, h&lt;sub&gt;t&lt;/sub&gt; = o&lt;sub&gt;t&lt;/sub&gt;·tanh(c&lt;sub&gt;t&lt;/sub&gt;).&lt;/p&gt;&lt;p&gt;A language model scores a sentence by the chain rule: P(&quot;beat a bad Alice&quot;) = P(beat|START) P(a|beat) P(bad|a) P(Alice|bad).&lt;/p&gt;</source>
        <translation>&lt;p&gt;LSTM 是最著名的 RNN。它的記憶細胞保存一個記憶 c&lt;sup&gt;t&lt;/sup&gt;；&lt;b&gt;輸入閘&lt;/b&gt;決定要寫入什麼，&lt;b&gt;遺忘閘&lt;/b&gt;決定要保留多少 c&lt;sup&gt;t-1&lt;/sup&gt;，&lt;b&gt;輸出閘&lt;/b&gt;決定要輸出什麼：c&lt;sub&gt;t&lt;/sub&gt; = f&lt;sub&gt;t&lt;/sub&gt;·c&lt;sub&gt;t-1&lt;/sub&gt; + i&lt;sub&gt;t&lt;/sub&gt;·g&lt;sub&gt;t&lt;/sub&gt;，h&lt;sub&gt;t&lt;/sub&gt; = o&lt;sub&gt;t&lt;/sub&gt;·tanh(c&lt;sub&gt;t&lt;/sub&gt;)。&lt;/p&gt;&lt;p&gt;語言模型用連鎖律為句子打分數：P(&quot;beat a bad Alice&quot;) = P(beat|START) P(a|beat) P(bad|a) P(Alice|bad)。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Encoder, context vector, decoder</source>
        <translation>編碼器、上下文向量、解碼器</translation>
    </message>
    <message>
        <source>Translate &quot;je suis étudiant&quot; into &quot;i am a student&quot; with an encoder-decoder trained here.</source>
        <translation>用在本程式中訓練的編碼器－解碼器，把「je suis étudiant」翻譯成「i am a student」。</translation>
    </message>
    <message>
        <source>&lt;p&gt;Seq2Seq is built by two RNN or LSTM models. The &lt;b&gt;encoder&lt;/b&gt; converts the input sequence of length M into a vector with a fixed length, the &lt;b&gt;context vector&lt;/b&gt;, composed of the important information of the input. The &lt;b&gt;decoder&lt;/b&gt; generates words from the context vector, one at a time, until it says &amp;lt;end&amp;gt;: a sequence of length N.&lt;/p&gt;&lt;p&gt;p(y&lt;sub&gt;1&lt;/sub&gt;…y&lt;sub&gt;T&apos;&lt;/sub&gt; | x&lt;sub&gt;1&lt;/sub&gt;…x&lt;sub&gt;T&lt;/sub&gt;) = Π&lt;sub&gt;t&lt;/sub&gt; p(y&lt;sub&gt;t&lt;/sub&gt; | v, y&lt;sub&gt;1&lt;/sub&gt;…y&lt;sub&gt;t−1&lt;/sub&gt;): type French and step through the decoder; force another word at any step and watch the rest change.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Beam search&lt;/b&gt; keeps the k best partial outputs instead of the single best word. The same model trained on dialogue turns becomes a &lt;b&gt;chatbot&lt;/b&gt; (choose it in the Model box).&lt;/p&gt;</source>
        <translation>&lt;p&gt;Seq2Seq 由兩個 RNN 或 LSTM 模型組成。&lt;b&gt;編碼器&lt;/b&gt;把長度為 M 的輸入序列轉換成一個固定長度的向量，也就是由輸入中重要資訊組成的&lt;b&gt;上下文向量&lt;/b&gt;。&lt;b&gt;解碼器&lt;/b&gt;則從上下文向量一次生成一個詞，直到輸出 &amp;lt;end&amp;gt;：得到一個長度為 N 的序列。&lt;/p&gt;&lt;p&gt;p(y&lt;sub&gt;1&lt;/sub&gt;…y&lt;sub&gt;T&apos;&lt;/sub&gt; | x&lt;sub&gt;1&lt;/sub&gt;…x&lt;sub&gt;T&lt;/sub&gt;) = Π&lt;sub&gt;t&lt;/sub&gt; p(y&lt;sub&gt;t&lt;/sub&gt; | v, y&lt;sub&gt;1&lt;/sub&gt;…y&lt;sub&gt;t−1&lt;/sub&gt;)：輸入法文並逐步查看解碼器；在任何一步強制換成另一個詞，看看其餘部分如何改變。&lt;/p&gt;&lt;p&gt;&lt;b&gt;集束搜尋&lt;/b&gt;保留 k 個最好的部分輸出，而不是只保留單一最好的詞。同一個模型若用對話語句訓練，就成了&lt;b&gt;聊天機器人&lt;/b&gt;（在「模型」選單中選擇）。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Attention alignments</source>
        <translation>注意力對齊</translation>
    </message>
    <message>
        <source>At each output step the decoder weighs every encoder state: c = Σ α h.</source>
        <translation>在每個輸出步驟，解碼器會為每個編碼器狀態加權：c = Σ α h。</translation>
    </message>
    <message>
        <source>&lt;p&gt;One fixed context vector must hold the whole input. With &lt;b&gt;attention&lt;/b&gt;, each decoder step builds its own context: c&lt;sup&gt;t&lt;/sup&gt; = Σ&lt;sub&gt;i&lt;/sub&gt; α̂&lt;sub&gt;t&lt;/sub&gt;&lt;sup&gt;i&lt;/sup&gt; h&lt;sup&gt;i&lt;/sup&gt;, a weighted sum of the encoder states, with weights from a softmax.&lt;/p&gt;&lt;p&gt;For example c&lt;sup&gt;0&lt;/sup&gt; = 0.5 h&lt;sup&gt;1&lt;/sup&gt; + 0.5 h&lt;sup&gt;2&lt;/sup&gt;.&lt;/p&gt;&lt;p&gt;The map shows, for each English word, the weights over the French words: &lt;i&gt;je → i, suis → am, étudiant → student&lt;/i&gt;. Compare the same translator trained without attention, sentence length by sentence length.&lt;/p&gt;</source>
        <translation>&lt;p&gt;一個固定的上下文向量必須裝下整個輸入。有了&lt;b&gt;注意力機制&lt;/b&gt;，解碼器的每一步都會建立自己的上下文：c&lt;sup&gt;t&lt;/sup&gt; = Σ&lt;sub&gt;i&lt;/sub&gt; α̂&lt;sub&gt;t&lt;/sub&gt;&lt;sup&gt;i&lt;/sup&gt; h&lt;sup&gt;i&lt;/sup&gt;，也就是編碼器狀態的加權和，權重來自 softmax。&lt;/p&gt;&lt;p&gt;例如 c&lt;sup&gt;0&lt;/sup&gt; = 0.5 h&lt;sup&gt;1&lt;/sup&gt; + 0.5 h&lt;sup&gt;2&lt;/sup&gt;。&lt;/p&gt;&lt;p&gt;圖中顯示每個英文詞在各個法文詞上的權重：&lt;i&gt;je → i、suis → am、étudiant → student&lt;/i&gt;。也可以和同樣但沒有注意力的翻譯模型，依句子長度逐一比較。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Self-attention: q, k, v</source>
        <translation>自注意力：q、k、v</translation>
    </message>
    <message>
        <source>Every output b_i looks at the whole input sequence; all of them are computed in parallel.</source>
        <translation>每個輸出 b_i 都會看整個輸入序列；所有輸出都能平行計算。</translation>
    </message>
    <message>
        <source>&lt;p&gt;In &lt;b&gt;self-attention&lt;/b&gt; b&lt;sub&gt;i&lt;/sub&gt; is obtained based on the whole input sequence, and b&lt;sub&gt;1&lt;/sub&gt;, b&lt;sub&gt;2&lt;/sub&gt;, b&lt;sub&gt;3&lt;/sub&gt;, b&lt;sub&gt;4&lt;/sub&gt; can be computed in parallel: you can try to replace anything that has been done by an RNN with self-attention. It finds the relevant vectors in a sequence, and can be the input or a hidden layer.&lt;/p&gt;&lt;p&gt;Each input gives a &lt;b&gt;query&lt;/b&gt; q, a &lt;b&gt;key&lt;/b&gt; k and a &lt;b&gt;value&lt;/b&gt; v; the scores q·k, divided by √d&lt;sub&gt;k&lt;/sub&gt;, pass through a &lt;b&gt;softmax&lt;/b&gt; and weigh the values: Z = softmax(QK&lt;sup&gt;T&lt;/sup&gt;/√d&lt;sub&gt;k&lt;/sub&gt;)V.&lt;/p&gt;&lt;p&gt;Self-attention is used in vision too: the &lt;i&gt;Vision&lt;/i&gt; tab runs a self-attention GAN (SAGAN) trained here on handwritten digits.&lt;/p&gt;</source>
        <translation>&lt;p&gt;在&lt;b&gt;自注意力&lt;/b&gt;中，b&lt;sub&gt;i&lt;/sub&gt; 是根據整個輸入序列得到的，而且 b&lt;sub&gt;1&lt;/sub&gt;、b&lt;sub&gt;2&lt;/sub&gt;、b&lt;sub&gt;3&lt;/sub&gt;、b&lt;sub&gt;4&lt;/sub&gt; 可以平行計算：任何原本由 RNN 完成的事，都可以試著改用自注意力。它會找出序列中彼此相關的向量，可以用在輸入層，也可以用在隱藏層。&lt;/p&gt;&lt;p&gt;每個輸入都會產生一個&lt;b&gt;查詢&lt;/b&gt;（query）q、一個&lt;b&gt;鍵&lt;/b&gt;（key）k 和一個&lt;b&gt;值&lt;/b&gt;（value）v；分數 q·k 除以 √d&lt;sub&gt;k&lt;/sub&gt; 後經過 &lt;b&gt;softmax&lt;/b&gt;，再用來為各個值加權：Z = softmax(QK&lt;sup&gt;T&lt;/sup&gt;/√d&lt;sub&gt;k&lt;/sub&gt;)V。&lt;/p&gt;&lt;p&gt;自注意力也用在視覺上：&lt;i&gt;視覺&lt;/i&gt;分頁執行一個在本程式中用手寫數字訓練的自注意力 GAN（SAGAN）。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Transformer: heads and decoding</source>
        <translation>Transformer：注意力頭與解碼</translation>
    </message>
    <message>
        <source>&quot;Thinking Machines&quot;: 8 heads, concatenate Z, multiply by W^O; positional encoding; step-by-step decoding.</source>
        <translation>「Thinking Machines」：8 個頭、串接 Z、乘以 W^O；位置編碼；逐步解碼。</translation>
    </message>
    <message>
        <source>&lt;p&gt;1) This is our input sentence. 2) We embed each word. 3) Split into 8 heads: multiply X (or, above the first encoder, the output of the encoder below) by W&lt;sup&gt;Q&lt;/sup&gt;, W&lt;sup&gt;K&lt;/sup&gt;, W&lt;sup&gt;V&lt;/sup&gt;. 4) Calculate attention using the resulting Q/K/V matrices. 5) Concatenate the resulting Z matrices, then multiply with W&lt;sup&gt;O&lt;/sup&gt; to produce the output of the layer.&lt;/p&gt;&lt;p&gt;The decoder attends to its own earlier words (masked: never to later ones) and to the encoder&apos;s output, and produces the translation one time step at a time.&lt;/p&gt;&lt;p&gt;Positional encoding (in the self-attention lesson) gives the model the word order that attention alone ignores.&lt;/p&gt;</source>
        <translation>&lt;p&gt;1) 這是我們的輸入句子。2) 把每個詞做詞嵌入。3) 分成 8 個頭：把 X（若在第一個編碼器之上，則是下方編碼器的輸出）乘以 W&lt;sup&gt;Q&lt;/sup&gt;、W&lt;sup&gt;K&lt;/sup&gt;、W&lt;sup&gt;V&lt;/sup&gt;。4) 用得到的 Q/K/V 矩陣計算注意力。5) 把得到的各個 Z 矩陣串接起來，再乘以 W&lt;sup&gt;O&lt;/sup&gt;，產生這一層的輸出。&lt;/p&gt;&lt;p&gt;解碼器會注意自己先前產生的詞（有遮罩：永遠不看之後的詞），也會注意編碼器的輸出，並一次一個時間步地產生翻譯。&lt;/p&gt;&lt;p&gt;位置編碼（在自注意力課程中）為模型提供詞的順序，這是單靠注意力會忽略的資訊。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>BERT: masked LM</source>
        <translation>BERT：遮罩語言模型</translation>
    </message>
    <message>
        <source>Bidirectional encoder pre-trained by predicting masked words and next sentences.</source>
        <translation>以預測被遮住的詞與下一句來預訓練的雙向編碼器。</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;BERT&lt;/b&gt;: Bidirectional Encoder Representation from Transformers, built by multiple Transformers&apos; encoders. Features: bidirectionality, pre-training, semantic representation. Objective: a universal language representation model to be &lt;b&gt;fine-tuned&lt;/b&gt; for various NLP tasks.&lt;/p&gt;&lt;p&gt;Pre-training, approach 1: &lt;b&gt;masked LM&lt;/b&gt;, predicting the masked word. Approach 2: &lt;b&gt;next sentence prediction&lt;/b&gt;, are the two sentences consecutive?&lt;/p&gt;&lt;p&gt;Put [MASK] into your sentence to see the tiny BERT trained here guess the word from both sides; compare a word&apos;s vectors in different sentences; see the fine-tuned sentiment head.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;BERT&lt;/b&gt;：Bidirectional Encoder Representation from Transformers（基於 Transformer 的雙向編碼器表示），由多個 Transformer 編碼器組成。特色：雙向性、預訓練、語意表示。目標：一個通用的語言表示模型，可以針對各種自然語言處理（NLP）任務進行&lt;b&gt;微調&lt;/b&gt;。&lt;/p&gt;&lt;p&gt;預訓練方法一：&lt;b&gt;遮罩語言模型&lt;/b&gt;（masked LM），預測被遮住的詞。方法二：&lt;b&gt;下一句預測&lt;/b&gt;，判斷兩個句子是否前後相連？&lt;/p&gt;&lt;p&gt;在你的句子中放入 [MASK]，看看在本程式中訓練的小型 BERT 如何根據兩側的詞猜出這個詞；比較同一個詞在不同句子中的向量；查看微調過的情感分類頭。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>GPT: next-word prediction</source>
        <translation>GPT：預測下一個詞</translation>
    </message>
    <message>
        <source>A generative pre-trained Transformer that predicts the next word and writes text.</source>
        <translation>一個生成式預訓練 Transformer，會預測下一個詞並寫出文字。</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;GPT&lt;/b&gt;: Generative Pre-trained Transformer. Features: generative model, large-scale pre-training, transfer learning. Objective: a universal language model to understand and generate text.&lt;/p&gt;&lt;p&gt;It learns the language by &lt;b&gt;predicting the next word&lt;/b&gt;, reading the text in one direction only, and generates new text one token at a time: each step samples from the distribution you see here, reshaped by temperature, top-k and top-p.&lt;/p&gt;&lt;p&gt;&lt;b&gt;GPT vs BERT&lt;/b&gt;: next word vs masked words and next sentences; unidirectional vs bidirectional; both are fine-tuned by adjusting the last layer.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;GPT&lt;/b&gt;：Generative Pre-trained Transformer（生成式預訓練 Transformer）。特色：生成式模型、大規模預訓練、遷移學習。目標：一個能理解並生成文字的通用語言模型。&lt;/p&gt;&lt;p&gt;它透過&lt;b&gt;預測下一個詞&lt;/b&gt;來學習語言，只朝一個方向讀文字，並一次一個詞元地生成新文字：每一步都從你在這裡看到的機率分布中取樣，這個分布會經過溫度、top-k 與 top-p 調整。&lt;/p&gt;&lt;p&gt;&lt;b&gt;GPT 與 BERT 比較&lt;/b&gt;：下一個詞 vs. 遮罩詞與下一句；單向 vs. 雙向；兩者都透過調整最後一層來微調。&lt;/p&gt;</translation>
    </message>
</context>
</TS>
