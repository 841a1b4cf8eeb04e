// Run before the first paint (a blocking script in <head>): the stored theme choice, so that a
// reader who picked Light or Dark never sees the other flash. ui/src/lib/theme.ts owns it after.
try {
  var t = localStorage.getItem('arrakis-theme');
  if (t === 'light' || t === 'dark') document.documentElement.dataset.theme = t;
} catch (e) {}
