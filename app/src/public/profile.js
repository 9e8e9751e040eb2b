(()=>{const d=document,S=d.body.dataset.slug,J='application/json',post=(u,o)=>fetch(u,Object.assign({method:'POST',headers:{'content-type':J}},o));
post('/api/v1/public/analytics/view',{keepalive:true,body:JSON.stringify({slug:S,referrer:d.referrer})}).catch(()=>{});
d.addEventListener('click',e=>{const a=e.target.closest&&e.target.closest('a[data-block-id]');if(a)try{navigator.sendBeacon('/api/v1/public/analytics/click',new Blob([JSON.stringify({blockId:a.dataset.blockId,slug:S})],{type:J}))}catch(_){}});
d.querySelectorAll('form[data-lead]').forEach(f=>f.addEventListener('submit',async e=>{e.preventDefault();
const el=f.elements,b=f.querySelector('[type=submit]'),label=b.textContent,first=[],
show=(k,m)=>{const i=el[k],p=i&&f.querySelector('[data-for="'+k+'"]')||f.querySelector('[data-for=form]');p.textContent=m;p.hidden=false;if(i&&i.setAttribute){i.setAttribute('aria-invalid','true');first.push(i)}};
f.querySelectorAll('[data-for]').forEach(p=>{p.hidden=true;p.textContent=''});f.querySelectorAll('[aria-invalid]').forEach(i=>i.removeAttribute('aria-invalid'));
const x={blockId:el.blockId.value,email:el.email.value.trim()};
for(const k of['name','website']){const v=el[k]&&el[k].value.trim();if(v)x[k]=v}
if(el.consent&&el.consent.checked)x.consent=true;
b.disabled=true;b.textContent=f.dataset.busy;f.setAttribute('aria-busy','true');
try{const r=await post('/api/v1/public/leads',{body:JSON.stringify(x)}),y=await r.json().catch(()=>({}));
if(r.ok){const o=f.nextElementSibling;if(y.message)o.querySelector('p').textContent=y.message;f.remove();o.hidden=false;o.focus();return}
const er=y.error||{},fs=er.fields||{},ks=Object.keys(fs);
if(r.status==400&&ks.length)ks.forEach(k=>show(k.split('.').pop(),fs[k]));else show('form',er.message||f.dataset.fail)}
catch(_){show('form',f.dataset.fail)}
b.disabled=false;b.textContent=label;f.removeAttribute('aria-busy');if(first[0])first[0].focus()}))})();
